package retreaver

import "strings"

// The API names time zones the way Ruby on Rails does ("Eastern Time (US &
// Canada)", "London", "UTC"), not with IANA names ("America/New_York"). The
// functions below list the names the API accepts and map them to and from IANA
// names, after Rails' ActiveSupport::TimeZone::MAPPING.

// timeZoneMapping holds the API's time-zone names in the order of the reference's
// "Valid Time Zones" table, each with its IANA name as ActiveSupport maps it.
// Several names share one IANA zone (Edinburgh and London are both
// Europe/London). Some IANA names are the older spellings Rails uses
// (Europe/Kiev, America/Godthab, Asia/Rangoon); every Go time-zone database knows
// them, and TimeZoneFromIANA also accepts the newer ones.
var timeZoneMapping = [...]struct{ name, iana string }{
	{"International Date Line West", "Etc/GMT+12"},
	{"Midway Island", "Pacific/Midway"},
	{"American Samoa", "Pacific/Pago_Pago"},
	{"Hawaii", "Pacific/Honolulu"},
	{"Alaska", "America/Juneau"},
	{"Pacific Time (US & Canada)", "America/Los_Angeles"},
	{"Tijuana", "America/Tijuana"},
	{"Mountain Time (US & Canada)", "America/Denver"},
	{"Arizona", "America/Phoenix"},
	{"Chihuahua", "America/Chihuahua"},
	{"Mazatlan", "America/Mazatlan"},
	{"Central Time (US & Canada)", "America/Chicago"},
	{"Saskatchewan", "America/Regina"},
	{"Guadalajara", "America/Mexico_City"},
	{"Mexico City", "America/Mexico_City"},
	{"Monterrey", "America/Monterrey"},
	{"Central America", "America/Guatemala"},
	{"Eastern Time (US & Canada)", "America/New_York"},
	{"Indiana (East)", "America/Indiana/Indianapolis"},
	{"Bogota", "America/Bogota"},
	{"Lima", "America/Lima"},
	{"Quito", "America/Lima"},
	{"Atlantic Time (Canada)", "America/Halifax"},
	{"Caracas", "America/Caracas"},
	{"La Paz", "America/La_Paz"},
	{"Santiago", "America/Santiago"},
	{"Newfoundland", "America/St_Johns"},
	{"Brasilia", "America/Sao_Paulo"},
	{"Buenos Aires", "America/Argentina/Buenos_Aires"},
	{"Montevideo", "America/Montevideo"},
	{"Georgetown", "America/Guyana"},
	{"Greenland", "America/Godthab"},
	{"Mid-Atlantic", "Atlantic/South_Georgia"},
	{"Azores", "Atlantic/Azores"},
	{"Cape Verde Is.", "Atlantic/Cape_Verde"},
	{"Dublin", "Europe/Dublin"},
	{"Edinburgh", "Europe/London"},
	{"Lisbon", "Europe/Lisbon"},
	{"London", "Europe/London"},
	{"Casablanca", "Africa/Casablanca"},
	{"Monrovia", "Africa/Monrovia"},
	{"UTC", "Etc/UTC"},
	{"Belgrade", "Europe/Belgrade"},
	{"Bratislava", "Europe/Bratislava"},
	{"Budapest", "Europe/Budapest"},
	{"Ljubljana", "Europe/Ljubljana"},
	{"Prague", "Europe/Prague"},
	{"Sarajevo", "Europe/Sarajevo"},
	{"Skopje", "Europe/Skopje"},
	{"Warsaw", "Europe/Warsaw"},
	{"Zagreb", "Europe/Zagreb"},
	{"Brussels", "Europe/Brussels"},
	{"Copenhagen", "Europe/Copenhagen"},
	{"Madrid", "Europe/Madrid"},
	{"Paris", "Europe/Paris"},
	{"Amsterdam", "Europe/Amsterdam"},
	{"Berlin", "Europe/Berlin"},
	{"Bern", "Europe/Zurich"},
	{"Rome", "Europe/Rome"},
	{"Stockholm", "Europe/Stockholm"},
	{"Vienna", "Europe/Vienna"},
	{"West Central Africa", "Africa/Algiers"},
	{"Bucharest", "Europe/Bucharest"},
	{"Cairo", "Africa/Cairo"},
	{"Helsinki", "Europe/Helsinki"},
	{"Kyiv", "Europe/Kiev"},
	{"Riga", "Europe/Riga"},
	{"Sofia", "Europe/Sofia"},
	{"Tallinn", "Europe/Tallinn"},
	{"Vilnius", "Europe/Vilnius"},
	{"Athens", "Europe/Athens"},
	{"Istanbul", "Europe/Istanbul"},
	{"Minsk", "Europe/Minsk"},
	{"Jerusalem", "Asia/Jerusalem"},
	{"Harare", "Africa/Harare"},
	{"Pretoria", "Africa/Johannesburg"},
	{"Moscow", "Europe/Moscow"},
	{"St. Petersburg", "Europe/Moscow"},
	{"Volgograd", "Europe/Volgograd"},
	{"Kuwait", "Asia/Kuwait"},
	{"Riyadh", "Asia/Riyadh"},
	{"Nairobi", "Africa/Nairobi"},
	{"Baghdad", "Asia/Baghdad"},
	{"Tehran", "Asia/Tehran"},
	{"Abu Dhabi", "Asia/Muscat"},
	{"Muscat", "Asia/Muscat"},
	{"Baku", "Asia/Baku"},
	{"Tbilisi", "Asia/Tbilisi"},
	{"Yerevan", "Asia/Yerevan"},
	{"Kabul", "Asia/Kabul"},
	{"Ekaterinburg", "Asia/Yekaterinburg"},
	{"Islamabad", "Asia/Karachi"},
	{"Karachi", "Asia/Karachi"},
	{"Tashkent", "Asia/Tashkent"},
	{"Chennai", "Asia/Kolkata"},
	{"Kolkata", "Asia/Kolkata"},
	{"Mumbai", "Asia/Kolkata"},
	{"New Delhi", "Asia/Kolkata"},
	{"Kathmandu", "Asia/Kathmandu"},
	{"Astana", "Asia/Dhaka"},
	{"Dhaka", "Asia/Dhaka"},
	{"Sri Jayawardenepura", "Asia/Colombo"},
	{"Almaty", "Asia/Almaty"},
	{"Novosibirsk", "Asia/Novosibirsk"},
	{"Rangoon", "Asia/Rangoon"},
	{"Bangkok", "Asia/Bangkok"},
	{"Hanoi", "Asia/Bangkok"},
	{"Jakarta", "Asia/Jakarta"},
	{"Krasnoyarsk", "Asia/Krasnoyarsk"},
	{"Beijing", "Asia/Shanghai"},
	{"Chongqing", "Asia/Chongqing"},
	{"Hong Kong", "Asia/Hong_Kong"},
	{"Urumqi", "Asia/Urumqi"},
	{"Kuala Lumpur", "Asia/Kuala_Lumpur"},
	{"Singapore", "Asia/Singapore"},
	{"Taipei", "Asia/Taipei"},
	{"Perth", "Australia/Perth"},
	{"Irkutsk", "Asia/Irkutsk"},
	{"Ulaanbaatar", "Asia/Ulaanbaatar"},
	{"Seoul", "Asia/Seoul"},
	{"Osaka", "Asia/Tokyo"},
	{"Sapporo", "Asia/Tokyo"},
	{"Tokyo", "Asia/Tokyo"},
	{"Yakutsk", "Asia/Yakutsk"},
	{"Darwin", "Australia/Darwin"},
	{"Adelaide", "Australia/Adelaide"},
	{"Canberra", "Australia/Melbourne"},
	{"Melbourne", "Australia/Melbourne"},
	{"Sydney", "Australia/Sydney"},
	{"Brisbane", "Australia/Brisbane"},
	{"Hobart", "Australia/Hobart"},
	{"Vladivostok", "Asia/Vladivostok"},
	{"Guam", "Pacific/Guam"},
	{"Port Moresby", "Pacific/Port_Moresby"},
	{"Magadan", "Asia/Magadan"},
	{"Solomon Is.", "Pacific/Guadalcanal"},
	{"New Caledonia", "Pacific/Noumea"},
	{"Fiji", "Pacific/Fiji"},
	{"Kamchatka", "Asia/Kamchatka"},
	{"Marshall Is.", "Pacific/Majuro"},
	{"Auckland", "Pacific/Auckland"},
	{"Wellington", "Pacific/Auckland"},
	{"Nuku'alofa", "Pacific/Tongatapu"},
	{"Tokelau Is.", "Pacific/Fakaofo"},
	{"Chatham Is.", "Pacific/Chatham"},
	{"Samoa", "Pacific/Apia"},
}

// ianaAliases are other IANA names of zones in timeZoneMapping: the newer
// spellings of the names Rails uses, and the usual names of UTC (time.UTC's name
// is "UTC").
var ianaAliases = map[string]string{
	"Europe/Kyiv":     "Europe/Kiev",
	"America/Nuuk":    "America/Godthab",
	"Asia/Yangon":     "Asia/Rangoon",
	"Asia/Calcutta":   "Asia/Kolkata",
	"Asia/Katmandu":   "Asia/Kathmandu",
	"Asia/Ulan_Bator": "Asia/Ulaanbaatar",
	"UTC":             "Etc/UTC",
	"Etc/UCT":         "Etc/UTC",
	"Etc/Universal":   "Etc/UTC",
	"Etc/Zulu":        "Etc/UTC",
	"UCT":             "Etc/UTC",
	"Universal":       "Etc/UTC",
	"Zulu":            "Etc/UTC",
}

var (
	timeZoneToIANA map[string]string // API name -> IANA name
	ianaToTimeZone map[string]string // IANA name -> canonical API name
)

func init() {
	timeZoneToIANA = make(map[string]string, len(timeZoneMapping))
	ianaToTimeZone = make(map[string]string, len(timeZoneMapping))
	for _, z := range timeZoneMapping {
		timeZoneToIANA[z.name] = z.iana
		prev, seen := ianaToTimeZone[z.iana]
		if !seen || (!isEponymous(prev, z.iana) && isEponymous(z.name, z.iana)) {
			ianaToTimeZone[z.iana] = z.name
		}
	}
}

// isEponymous reports whether the API name is the city the IANA name is named
// after: "Mexico City" for "America/Mexico_City".
func isEponymous(name, iana string) bool {
	city := iana[strings.LastIndexByte(iana, '/')+1:]
	return strings.ReplaceAll(name, " ", "_") == city
}

// TimeZones returns the time-zone names the API accepts (for
// TargetParams.TimeZone), all 146 of them, in the order of the reference's "Valid
// Time Zones" table. The slice is a copy: callers may change it.
func TimeZones() []string {
	out := make([]string, len(timeZoneMapping))
	for i, z := range timeZoneMapping {
		out[i] = z.name
	}
	return out
}

// IsValidTimeZone reports whether name is one of the API's time-zone names
// (exactly as spelled by [TimeZones]).
func IsValidTimeZone(name string) bool {
	_, ok := timeZoneToIANA[name]
	return ok
}

// IANAFromTimeZone returns the IANA name of one of the API's time-zone names, as
// Rails maps it: "Eastern Time (US & Canada)" gives "America/New_York", "UTC"
// gives "Etc/UTC", "Edinburgh" and "London" both give "Europe/London". The
// result loads with time.LoadLocation. ok is false for a name the API does not
// know; names are case-sensitive.
func IANAFromTimeZone(name string) (iana string, ok bool) {
	iana, ok = timeZoneToIANA[name]
	return iana, ok
}

// TimeZoneFromIANA returns the API's time-zone name for an IANA name
// ("America/New_York" gives "Eastern Time (US & Canada)"), for example to set a
// target's time zone from a *time.Location's String(). ok is false for an IANA
// zone the API has no name for (such as "America/Toronto": the API knows far
// fewer zones than IANA).
//
// Where several API names share one IANA zone, the answer is the name of the
// city the IANA zone is named after: "London" (not "Edinburgh") for
// Europe/London, "Kolkata" for Asia/Kolkata, "Tokyo" for Asia/Tokyo, "Mexico
// City" for America/Mexico_City, "Muscat" for Asia/Muscat, "Dhaka" for
// Asia/Dhaka, "Melbourne" for Australia/Melbourne, "Auckland" for
// Pacific/Auckland, and so on. Newer and older IANA spellings of the same zone
// ("Europe/Kyiv" and "Europe/Kiev", "Asia/Yangon" and "Asia/Rangoon") and the
// usual names of UTC ("UTC", "Etc/UTC", "Etc/Universal", "Zulu") are accepted.
func TimeZoneFromIANA(name string) (tz string, ok bool) {
	if alias, found := ianaAliases[name]; found {
		name = alias
	}
	tz, ok = ianaToTimeZone[name]
	return tz, ok
}
