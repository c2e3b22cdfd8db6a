import Foundation
import Vapor

/// Runs the deadline monitor in the background of `serve`, every `OTKLIK_MONITOR_INTERVAL` seconds.
/// Safe with several instances on one PostgreSQL: each job is claimed by one of them.
final class MonitorService: LifecycleHandler, Sendable {
    private let task = BackgroundTask()
    let interval: Int

    init(interval: Int) { self.interval = interval }

    func didBootAsync(_ app: Application) async throws {
        guard interval > 0 else { return }
        let interval = self.interval
        task.start {
            while !Task.isCancelled {
                do {
                    let report = try await DeadlineMonitor(db: app.db, notifiers: app.notifiers).tick(now: app.clock.now)
                    if report != .init() {
                        app.logger.info("Контроль сроков: напоминаний \(report.reminders), просрочено \(report.overdue), эскалаций \(report.escalations), принято без возражений \(report.acceptedBySilence)")
                    }
                } catch {
                    app.logger.report(error: error)
                }
                try? await Task.sleep(for: .seconds(interval))
            }
        }
    }

    func shutdownAsync(_ app: Application) async { await task.stop() }
}
