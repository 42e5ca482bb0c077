package retreaver_test

import (
	"testing"

	"github.com/retreaver-go/retreaver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tag values holding the tag_list's own punctuation (':' and ',') and other
// text survive the round trip on targets and contacts.
func TestE2ETagValuesRoundTrip(t *testing.T) {
	t.Parallel()
	_, client := e2eSetup(t)
	ctx := e2eCtx(t)
	tags := []retreaver.Tag{
		{Key: "landing", Value: "https://example.com:8443/offer?a=1,b=2"},
		{Key: "note", Value: " spaced, with a comma "},
		{Key: "city", Value: "Montréal"},
		{Key: "cmp", Value: "a>b"},
		{Key: "empty", Value: ""},
	}
	want := map[string]string{}
	for _, tag := range tags {
		want[tag.Key] = tag.Value
	}

	tg, err := client.Targets.Create(ctx, &retreaver.TargetParams{Number: retreaver.Ptr("+15555550800"), Tags: tags})
	require.NoError(t, err)
	assert.Equal(t, want, e2eTags(tg.TagValues))
	got, err := client.Targets.Get(ctx, tg.ID)
	require.NoError(t, err)
	assert.Equal(t, want, e2eTags(got.TagValues))

	c, err := client.Contacts.Create(ctx, &retreaver.ContactParams{
		ContactNumbers: []retreaver.ContactNumberParams{{Number: retreaver.Ptr("+15555550801")}}, Tags: tags,
	})
	require.NoError(t, err)
	assert.Equal(t, want, e2eTags(c.TagValues))
	// The same key and value share one tag value id across objects.
	for _, tv := range c.TagValues {
		for _, other := range got.TagValues {
			if tv.Key == other.Key {
				assert.Equal(t, other.ID, tv.ID, tv.Key)
			}
		}
	}

	// Values that would break the encoding are refused before sending.
	_, err = client.Targets.SetTags(ctx, tg.ID, []retreaver.Tag{{Key: "bad", Value: "x>>>,<<<y:z"}})
	require.ErrorIs(t, err, retreaver.ErrInvalidArgument)
	got, err = client.Targets.Get(ctx, tg.ID)
	require.NoError(t, err)
	assert.Equal(t, want, e2eTags(got.TagValues))
}
