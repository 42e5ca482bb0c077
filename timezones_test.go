package retreaver

import (
	"testing"
	"time"
	_ "time/tzdata" // the IANA names must load even where the system has no zoneinfo

	"github.com/stretchr/testify/require"
)

func TestTimeZonesListsTheReferenceTable(t *testing.T) {
	zones := TimeZones()
	require.Len(t, zones, 146)
	require.Equal(t, "International Date Line West", zones[0])
	require.Equal(t, "Midway Island", zones[1])
	require.Equal(t, "Eastern Time (US & Canada)", zones[17])
	require.Equal(t, "UTC", zones[41])
	require.Equal(t, "Nuku'alofa", zones[142])
	require.Equal(t, "Samoa", zones[145])

	seen := map[string]bool{}
	for _, z := range zones {
		require.False(t, seen[z], "duplicate %q", z)
		seen[z] = true
	}
	for _, z := range []string{"Cape Verde Is.", "St. Petersburg", "Indiana (East)", "Mid-Atlantic", "Kyiv", "Sri Jayawardenepura"} {
		require.True(t, seen[z], "%q is in the table", z)
	}
	// Rails knows these, the reference does not list them.
	for _, z := range []string{"Puerto Rico", "Zurich", "Kaliningrad", "Samara", "Srednekolymsk"} {
		require.False(t, seen[z], "%q is not in the table", z)
		require.False(t, IsValidTimeZone(z))
	}

	zones[0] = "changed"
	require.Equal(t, "International Date Line West", TimeZones()[0], "TimeZones returns a copy")
}

func TestTimeZoneIANAMapping(t *testing.T) {
	for _, name := range TimeZones() {
		require.True(t, IsValidTimeZone(name))
		iana, ok := IANAFromTimeZone(name)
		require.True(t, ok, name)
		loc, err := time.LoadLocation(iana)
		require.NoError(t, err, "%s -> %s", name, iana)
		require.Equal(t, iana, loc.String())

		// Round trip: the IANA name maps back to name or to the canonical name
		// sharing its zone, which maps to the same IANA name.
		back, ok := TimeZoneFromIANA(iana)
		require.True(t, ok, iana)
		again, ok := IANAFromTimeZone(back)
		require.True(t, ok)
		require.Equal(t, iana, again, "%s -> %s -> %s", name, iana, back)
	}

	cases := map[string]string{
		"Eastern Time (US & Canada)":   "America/New_York",
		"Pacific Time (US & Canada)":   "America/Los_Angeles",
		"UTC":                          "Etc/UTC",
		"London":                       "Europe/London",
		"Edinburgh":                    "Europe/London",
		"Bern":                         "Europe/Zurich",
		"International Date Line West": "Etc/GMT+12",
		"Indiana (East)":               "America/Indiana/Indianapolis",
		"Kyiv":                         "Europe/Kiev",
	}
	for name, want := range cases {
		got, ok := IANAFromTimeZone(name)
		require.True(t, ok, name)
		require.Equal(t, want, got, name)
	}
}

func TestTimeZoneFromIANAPicksTheEponymousName(t *testing.T) {
	cases := map[string]string{
		"America/New_York":    "Eastern Time (US & Canada)",
		"Europe/London":       "London",
		"Asia/Kolkata":        "Kolkata",
		"Asia/Tokyo":          "Tokyo",
		"America/Mexico_City": "Mexico City",
		"America/Lima":        "Lima",
		"Asia/Karachi":        "Karachi",
		"Europe/Moscow":       "Moscow",
		"Asia/Bangkok":        "Bangkok",
		"Australia/Melbourne": "Melbourne",
		"Pacific/Auckland":    "Auckland",
		"Asia/Muscat":         "Muscat",
		"Asia/Dhaka":          "Dhaka",
		"Europe/Zurich":       "Bern",
		"Etc/UTC":             "UTC",
		// Aliases.
		"UTC":           "UTC",
		"Etc/Universal": "UTC",
		"Zulu":          "UTC",
		"Europe/Kyiv":   "Kyiv",
		"Europe/Kiev":   "Kyiv",
		"America/Nuuk":  "Greenland",
		"Asia/Yangon":   "Rangoon",
		"Asia/Calcutta": "Kolkata",
	}
	for iana, want := range cases {
		got, ok := TimeZoneFromIANA(iana)
		require.True(t, ok, iana)
		require.Equal(t, want, got, iana)
	}
	// time.UTC names itself "UTC".
	got, ok := TimeZoneFromIANA(time.UTC.String())
	require.True(t, ok)
	require.Equal(t, "UTC", got)

	// Every shared zone resolves to exactly one of its names, and every alias
	// loads and points at a mapped zone.
	for alias, target := range ianaAliases {
		_, err := time.LoadLocation(alias)
		require.NoError(t, err, alias)
		_, ok := ianaToTimeZone[target]
		require.True(t, ok, "alias %s -> %s", alias, target)
	}
}

func TestTimeZoneUnknownNames(t *testing.T) {
	for _, name := range []string{"", "utc", "london", "Eastern Time", "America/New_York", "Europe/London ", "Zurich"} {
		_, ok := IANAFromTimeZone(name)
		require.False(t, ok, "%q", name)
		require.False(t, IsValidTimeZone(name), "%q", name)
	}
	for _, iana := range []string{"", "America/Toronto", "Local", "Eastern Time (US & Canada)", "europe/london", "Mars/Olympus_Mons"} {
		tz, ok := TimeZoneFromIANA(iana)
		require.False(t, ok, "%q", iana)
		require.Empty(t, tz)
	}
}
