import NIOConcurrencyHelpers

/// One background task a lifecycle handler starts at boot and cancels (and awaits) at shutdown.
final class BackgroundTask: Sendable {
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    func start(_ body: @escaping @Sendable () async -> Void) {
        let t = Task { await body() }
        task.withLockedValue { $0 = t }
    }

    func stop() async {
        let t = task.withLockedValue { t in defer { t = nil }; return t }
        t?.cancel()
        await t?.value
    }
}
