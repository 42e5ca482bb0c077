package retreaver

// TargetsService manages targets, the buyers or call endpoints that calls are routed to.
type TargetsService service
