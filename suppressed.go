package retreaver

// SuppressedNumbersService manages the company's suppressed (blocked) caller numbers.
type SuppressedNumbersService service

// StaticCallerNumbersService manages static caller numbers: caller IDs (such as a call center's) that are handled separately.
type StaticCallerNumbersService service
