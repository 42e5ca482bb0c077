package retreaver

// RTBService makes real-time bidding reservations on the RTB host.
type RTBService service
