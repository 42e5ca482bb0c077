package retreaver

// NumbersService manages tracking numbers.
type NumbersService service
