package retreaver

// CampaignsService manages campaigns, whose settings numbers reuse.
type CampaignsService service
