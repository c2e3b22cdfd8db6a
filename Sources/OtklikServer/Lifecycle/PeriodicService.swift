import Foundation
import Vapor

/// A pass repeated in the background of `serve` every `interval` seconds (0: not on this instance):
/// the deadline monitor, the Telegram bots. Each pass is safe with several instances on one database.
final class PeriodicService: LifecycleHandler, Sendable {
    private let task = BackgroundTask()
    let interval: Int
    let pass: @Sendable (Application) async -> Void

    init(interval: Int, pass: @escaping @Sendable (Application) async -> Void) {
        self.interval = interval
        self.pass = pass
    }

    func didBootAsync(_ app: Application) async throws {
        guard interval > 0 else { return }
        let interval = self.interval, pass = self.pass
        task.start {
            while !Task.isCancelled {
                await pass(app)
                try? await Task.sleep(for: .seconds(interval))
            }
        }
    }

    func shutdownAsync(_ app: Application) async { await task.stop() }
}

extension PeriodicService {
    /// The deadline monitor every `OTKLIK_MONITOR_INTERVAL` seconds; each job is claimed by one instance.
    static func monitor(interval: Int) -> PeriodicService {
        PeriodicService(interval: interval) { app in
            do {
                let report = try await DeadlineMonitor(db: app.db, notifiers: app.notifiers).tick(now: app.clock.now)
                if report != .init() {
                    app.logger.info("Контроль сроков: напоминаний \(report.reminders), просрочено \(report.overdue), эскалаций \(report.escalations), принято без возражений \(report.acceptedBySilence)")
                }
                let risks = try await RiskMonitor(db: app.db, publicURL: app.publicURL, notifiers: app.notifiers).tick(now: app.clock.now)
                if risks != .init() {
                    app.logger.info("Инфориски: напоминаний \(risks.reminders), просрочено \(risks.overdue), эскалаций \(risks.escalations), сезонных напоминаний \(risks.seasons)")
                }
                let orders = try await AssignmentMonitor(db: app.db, notifiers: app.notifiers).tick(now: app.clock.now)
                if orders != .init() {
                    app.logger.info("Поручения: напоминаний \(orders.reminders), просрочено \(orders.overdue), эскалаций \(orders.escalations)")
                }
            } catch {
                app.logger.report(error: error)
            }
        }
    }

    /// The Telegram bots every `OTKLIK_TELEGRAM_INTERVAL` seconds: new messages in, published answers out.
    static func telegram(interval: Int) -> PeriodicService {
        PeriodicService(interval: interval) { app in await TelegramBot.tick(app) }
    }

    /// Outbound webhooks every `OTKLIK_WEBHOOK_INTERVAL` seconds: queue new events, send what is due.
    static func webhooks(interval: Int) -> PeriodicService {
        PeriodicService(interval: interval) { app in await WebhookDispatcher.tick(app) }
    }

    /// The notification outbox every `OTKLIK_NOTIFY_INTERVAL` seconds: letters and alert-chat posts.
    static func notifications(interval: Int) -> PeriodicService {
        PeriodicService(interval: interval) { app in await NotificationDispatcher.tick(app) }
    }

    /// The weekly memos every `OTKLIK_MEMO_INTERVAL` seconds: made on Monday at 08:00 local time.
    static func memos(interval: Int) -> PeriodicService {
        PeriodicService(interval: interval) { app in await MemoScheduler.tick(app) }
    }

    /// The classifiers every `OTKLIK_TEXT_INTERVAL` seconds: retrained when older than the municipality's period.
    static func textModels(interval: Int) -> PeriodicService {
        PeriodicService(interval: interval) { app in await TextTraining.tick(app) }
    }
}
