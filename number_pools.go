package retreaver

// NumberPoolsService manages number pools, which assign numbers to website visitors dynamically.
type NumberPoolsService service
