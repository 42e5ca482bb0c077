// Package exampletest runs the example programs' main functions in their
// tests, against the in-memory fake, so that an example that stops working
// fails go test.
package exampletest

import (
	"os"
	"testing"
)

// Run runs main as the program would run with the command-line arguments
// args and no RETREAVER_API_KEY in the environment (so against the fake), and
// returns what it wrote to standard output and standard error. main may be run
// once per test binary, since it parses the process's flags.
func Run(t *testing.T, main func(), args ...string) (stdout, stderr string) {
	t.Setenv("RETREAVER_API_KEY", "")
	outFile, errFile := temp(t, "stdout"), temp(t, "stderr")
	oldArgs, oldOut, oldErr := os.Args, os.Stdout, os.Stderr
	os.Args = append([]string{"example"}, args...)
	os.Stdout, os.Stderr = outFile, errFile
	defer func() { os.Args, os.Stdout, os.Stderr = oldArgs, oldOut, oldErr }()
	main()
	return read(t, outFile), read(t, errFile)
}

func temp(t *testing.T, name string) *os.File {
	f, err := os.CreateTemp(t.TempDir(), name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func read(t *testing.T, f *os.File) string {
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
