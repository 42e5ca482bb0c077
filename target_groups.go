package retreaver

// TargetGroupsService manages target groups (buyer groups), which bundle targets for routing.
type TargetGroupsService service
