/// A service whose event handlers handle other event types than its `consumedEvents` list,
/// which `migrate` binds its queue to: a programming error, refused at start.
struct EventSubscriptionMismatch: Error, CustomStringConvertible {
    let service: String
    let handled: [String]
    let declared: [String]

    var description: String {
        let unbound = Set(handled).subtracting(declared).sorted()
        let unhandled = Set(declared).subtracting(handled).sorted()
        return "the \(service) service's handlers and consumedEvents differ: handled but not listed \(unbound), "
            + "listed but not handled \(unhandled)"
    }
}
