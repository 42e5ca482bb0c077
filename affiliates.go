package retreaver

// AffiliatesService manages affiliates, the publishers or sources that send calls.
type AffiliatesService service
