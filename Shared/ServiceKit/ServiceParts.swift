import ServiceLifecycle

/// What a service adds to the common set-up: dependencies `/ready` checks and
/// long-lived parts (consumers, workers) to run in its service group.
package struct ServiceParts: Sendable {
    package var readiness: [ReadinessCheck]
    package var services: [any Service]

    package init(readiness: [ReadinessCheck] = [], services: [any Service] = []) {
        self.readiness = readiness
        self.services = services
    }
}
