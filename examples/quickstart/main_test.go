package main

import (
	"testing"

	"github.com/retreaver-go/retreaver/internal/exampletest"
	"github.com/stretchr/testify/require"
)

func TestQuickstartTourRunsAgainstTheFake(t *testing.T) {
	out, _ := exampletest.Run(t, main)
	require.Contains(t, out, "using the in-memory fake API")
	require.Contains(t, out, "   - Northwind Health Leads")
	require.Regexp(t, `\n   campaign "[^"]+" got cid \S+\n`, out)
	require.Regexp(t, `\n   \d+ calls, revenue \d+\.\d+, from \d+ states\n`, out)
	// Step 4 reads the newest call through version 4: its campaign and its
	// number by name.
	require.Regexp(t, `\n   campaign: [^(\n]+ \(id \d+\)\n   number:   [^(\n]+ \(\+\d+\)\n`, out)
	require.Regexp(t, `\n   Bluebird Home Services +\d+ calls in the last 7 days\n`, out)
	require.NotContains(t, out, "some companies failed")
	require.Contains(t, out, "target 987654321: 404 not found")
	require.Contains(t, out, "api_key=REDACTED")
	require.Contains(t, out, "\nDone.\n")
}
