package retreaver

// ReportsService reads aggregate call statistics.
type ReportsService service
