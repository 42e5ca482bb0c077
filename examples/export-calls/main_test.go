package main

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/retreaver-go/retreaver/internal/exampletest"
	"github.com/stretchr/testify/require"
)

func TestExportCallsWritesEverySeededCallOnce(t *testing.T) {
	out, progress := exampletest.Run(t, main)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, "uuid", rows[0][0])
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		require.False(t, seen[r[0]], "call %s written twice", r[0])
		seen[r[0]] = true
	}
	require.Len(t, seen, 2000, "the fake's seed")
	require.Contains(t, progress, "exported 2000 calls")
}
