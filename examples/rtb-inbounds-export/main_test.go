package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/retreaver-go/retreaver/internal/exampletest"
	"github.com/stretchr/testify/require"
)

func TestRTBInboundsExportWritesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "inbounds.csv")
	_, progress := exampletest.Run(t, main, "-o", path)
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"UUID", "Call UUID"}, rows[0][:2])
	require.Greater(t, len(rows), 100, "a week of the fake's pings")
	require.Regexp(t, `wrote \d+ RTB inbounds created from `, progress)
}
