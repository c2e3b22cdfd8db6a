import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import OtklikCore

/// A small SMTP client on SwiftNIO (RFC 5321): EHLO, STARTTLS or implicit TLS, AUTH PLAIN/LOGIN, then
/// any number of letters over one connection. Each letter's outcome is reported separately, so one
/// refused address does not hold back the others. The whole conversation has one deadline: a relay
/// that stops answering closes the connection instead of hanging the notification pass.
struct SMTPClient {
    let settings: SMTPSettings
    let group: any EventLoopGroup
    var deadline: TimeAmount = .seconds(60)

    struct Failure: Error, Sendable {
        var russian: String
        /// 5xx: retrying the same letter will not help.
        var permanent: Bool
    }

    enum Outcome: Sendable, Equatable {
        case sent
        case failed(String, permanent: Bool)
    }

    /// Sends `messages` in order; throws only when the session itself failed (connection, TLS, login).
    func send(_ messages: [MailMessage]) async throws -> [Outcome] {
        let session = try await Session.open(settings, group: group, deadline: deadline)
        do {
            var outcomes: [Outcome] = []
            for message in messages { outcomes.append(try await session.deliver(message)) }
            await session.quit()
            return outcomes
        } catch {
            session.close()
            throw error
        }
    }
}

/// One connection to the relay.
private final class Session: Sendable {
    let channel: any Channel
    let replies: AsyncThrowingStream<SMTPReply, any Error>
    let settings: SMTPSettings
    private let iterator: IteratorBox

    init(channel: any Channel, replies: AsyncThrowingStream<SMTPReply, any Error>, settings: SMTPSettings) {
        self.channel = channel; self.replies = replies; self.settings = settings
        iterator = IteratorBox(replies.makeAsyncIterator())
    }

    static func open(_ settings: SMTPSettings, group: any EventLoopGroup, deadline: TimeAmount) async throws -> Session {
        let (stream, continuation) = AsyncThrowingStream<SMTPReply, any Error>.makeStream()
        let tls: NIOSSLContext?
        do { tls = settings.security == .none ? nil : try NIOSSLContext(configuration: settings.tlsConfiguration) } catch {
            throw SMTPClient.Failure(russian: "не удалось подготовить TLS: \(error)", permanent: false)
        }
        let implicitTLS = settings.security == .tls, host = settings.host
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(15))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if implicitTLS, let tls {
                            try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: host.isIPAddress ? nil : host))
                        }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                        try channel.pipeline.syncOperations.addHandler(SMTPReplyHandler(continuation))
                    }
                }
                .connect(host: settings.host, port: settings.port).get()
        } catch {
            throw SMTPClient.Failure(russian: "почтовый сервер \(settings.host):\(settings.port) недоступен (\(Session.describe(error)))", permanent: false)
        }
        // One deadline for the whole conversation: closing the channel ends every wait below.
        channel.eventLoop.scheduleTask(in: deadline) { channel.close(promise: nil) }
        let session = Session(channel: channel, replies: stream, settings: settings)
        do {
            try await session.handshake(tls: tls)
        } catch {
            session.close()
            throw error
        }
        return session
    }

    private func handshake(tls: NIOSSLContext?) async throws {
        try expect(try await next(), 220, "приветствие сервера")
        var ehlo = try await command("EHLO \(settings.heloName)")
        try expect(ehlo, 250, "EHLO")
        if settings.security == .starttls {
            guard ehlo.extensions["STARTTLS"] != nil else {
                throw SMTPClient.Failure(russian: "сервер не предлагает STARTTLS; выберите другой режим защиты", permanent: true)
            }
            try expect(try await command("STARTTLS"), 220, "STARTTLS")
            let host = settings.host
            guard let tls else { throw SMTPClient.Failure(russian: "TLS не настроен", permanent: true) }
            try await channel.eventLoop.submit { [channel] in
                try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: host.isIPAddress ? nil : host),
                                                               position: .first)
            }.get()
            ehlo = try await command("EHLO \(settings.heloName)")
            try expect(ehlo, 250, "EHLO после STARTTLS")
        }
        guard let user = settings.username, !user.isEmpty else { return }
        let methods = ehlo.extensions["AUTH"] ?? []
        if methods.contains("PLAIN") {
            try expect(try await command("AUTH PLAIN " + SMTPAuth.plain(user: user, password: settings.password ?? "")), 235, "вход (AUTH PLAIN)")
        } else if methods.contains("LOGIN") {
            try expect(try await command("AUTH LOGIN"), 334, "вход (AUTH LOGIN)")
            try expect(try await command(SMTPAuth.base64(user)), 334, "вход (имя)")
            try expect(try await command(SMTPAuth.base64(settings.password ?? "")), 235, "вход (пароль)")
        } else {
            throw SMTPClient.Failure(russian: "сервер не предлагает вход (AUTH PLAIN или LOGIN); уберите имя пользователя или включите защиту соединения", permanent: true)
        }
    }

    func deliver(_ message: MailMessage) async throws -> SMTPClient.Outcome {
        let mail = try await command("MAIL FROM:<\(message.from.address)>")
        guard mail.code == 250 else { return try await refused(mail, "отправитель \(message.from.address)") }
        let rcpt = try await command("RCPT TO:<\(message.to.address)>")
        guard rcpt.code == 250 || rcpt.code == 251 else { return try await refused(rcpt, "получатель \(message.to.address)") }
        let data = try await command("DATA")
        guard data.code == 354 else { return try await refused(data, "DATA") }
        try await write(MailMessage.dataSection(message.rendered()))
        let accepted = try await next()
        guard accepted.code == 250 else { return try await refused(accepted, "письмо") }
        return .sent
    }

    /// A letter the server refused: the session goes on after RSET.
    private func refused(_ reply: SMTPReply, _ what: String) async throws -> SMTPClient.Outcome {
        _ = try await command("RSET")
        return .failed("сервер не принял \(what): \(reply.code) \(reply.text.prefix(200))", permanent: reply.isPermanentFailure)
    }

    func quit() async {
        _ = try? await command("QUIT")
        close()
    }

    func close() { channel.close(promise: nil) }

    private func command(_ line: String) async throws -> SMTPReply {
        try await write(line + "\r\n")
        return try await next()
    }

    private func write(_ text: String) async throws {
        do { try await channel.writeAndFlush(ByteBuffer(string: text)).get() } catch {
            // A failed TLS handshake closes the channel under the write: the reason is in the reply stream.
            _ = try await next()
            throw SMTPClient.Failure(russian: "соединение с почтовым сервером прервано (\(Session.describe(error)))", permanent: false)
        }
    }

    private func next() async throws -> SMTPReply {
        do {
            guard let reply = try await iterator.next() else {
                throw SMTPClient.Failure(russian: "почтовый сервер закрыл соединение или не ответил вовремя", permanent: false)
            }
            return reply
        } catch let failure as SMTPClient.Failure { throw failure } catch {
            throw SMTPClient.Failure(russian: "ошибка соединения с почтовым сервером (\(Session.describe(error)))", permanent: false)
        }
    }

    private func expect(_ reply: SMTPReply, _ code: Int, _ step: String) throws {
        guard reply.code == code else {
            throw SMTPClient.Failure(russian: "\(step): сервер ответил \(reply.code) \(reply.text.prefix(200))", permanent: reply.isPermanentFailure)
        }
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? NIOSSLError {
            if case .handshakeFailed = e { return "TLS: сертификат сервера не прошёл проверку или протоколы несовместимы — \(e)" }
            return "TLS: \(e)"
        }
        if let e = error as? BoringSSLError { return "TLS: \(e)" }
        return String(describing: error).prefix(200).description
    }
}

/// The reply iterator is used by one task at a time (the session's caller); the box only carries it.
private final class IteratorBox: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<SMTPReply, any Error>.AsyncIterator
    init(_ iterator: AsyncThrowingStream<SMTPReply, any Error>.AsyncIterator) { self.iterator = iterator }
    func next() async throws -> SMTPReply? { try await iterator.next() }
}

/// Splits the byte stream into lines (CRLF or LF), at most 4 KiB each.
private struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 4_096 { throw SMTPClient.Failure(russian: "слишком длинная строка ответа сервера", permanent: false) }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex + 1
        let line = buffer.readString(length: length)!.dropLast()
        context.fireChannelRead(wrapInboundOut(String(line)))
        return .continue
    }
}

/// Turns lines into replies and hands them to the session's stream.
private final class SMTPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = String
    let continuation: AsyncThrowingStream<SMTPReply, any Error>.Continuation
    var assembler = SMTPReply.Assembler()

    init(_ continuation: AsyncThrowingStream<SMTPReply, any Error>.Continuation) { self.continuation = continuation }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        do {
            if let reply = try assembler.add(unwrapInboundIn(data)) { continuation.yield(reply) }
        } catch {
            continuation.finish(throwing: SMTPClient.Failure(russian: "непонятный ответ почтового сервера: «\(error)»", permanent: false))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish(throwing: error)
        context.close(promise: nil)
    }
}

private extension String {
    var isIPAddress: Bool { (try? SocketAddress(ipAddress: self, port: 0)) != nil }
}
