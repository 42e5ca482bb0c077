package retreaver

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestErrorMessageDepthIsBounded(t *testing.T) {
	// Each level of nesting is parsed again by the level above it: a hostile error
	// body nested thousands deep cost seconds of CPU per answer before the depth
	// was bounded. Messages within the bound are still found.
	nested := func(depth int) string {
		return `{"errors":` + strings.Repeat(`{"k":`, depth) + `"deep"` + strings.Repeat("}", depth) + `}`
	}
	require.Equal(t, strings.TrimSpace(strings.Repeat("k ", 6))+" deep", errorMessage([]byte(nested(6))))
	require.NotContains(t, errorMessage([]byte(nested(maxMessageDepth+1))), "k k k k k k k k k deep")
	require.Equal(t, "deep", errorMessage([]byte(`{"errors":[[[[[["deep"]]]]]]}`)))

	hostile := `{"errors":` + strings.Repeat("[", 9000) + `"x"` + strings.Repeat("]", 9000) + `}`
	msg := errorMessage([]byte(hostile))
	require.LessOrEqual(t, len(msg), maxMessageLen)
	require.NotContains(t, msg, `x`, "nothing below the bound is looked at")
}
