package main

import (
	"regexp"
	"testing"

	"github.com/retreaver-go/retreaver/internal/exampletest"
	"github.com/stretchr/testify/require"
)

func TestMultiCompanyReportAddsUpEveryCompany(t *testing.T) {
	out, _ := exampletest.Run(t, main)
	row := regexp.MustCompile(`(?m)^ *(\S.*?) +(\d+) +(\d+) +(-?\d+\.\d\d) +(-?\d+\.\d\d) +(-?\d+\.\d\d) *$`)
	rows := row.FindAllStringSubmatch(out, -1)
	require.Len(t, rows, 4, out) // the three demo companies and the total
	require.Equal(t, "all companies", rows[3][1])
	for _, r := range rows[:3] {
		require.NotEqual(t, "0", r[3], "%s has calls", r[1])
	}
}
