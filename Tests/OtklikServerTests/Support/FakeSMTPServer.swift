import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// A mail relay on a local port that speaks enough SMTP for our client: EHLO with AUTH PLAIN/LOGIN and
/// optionally STARTTLS, MAIL/RCPT/DATA/RSET/QUIT. It keeps what it received, refuses the addresses in
/// `refused` with 550, and answers 421 to every connection while `down`.
final class FakeSMTPServer: Sendable {
    struct Letter: Sendable { var from: String; var to: [String]; var data: String; var overTLS: Bool; var user: String? }

    struct State: Sendable {
        var letters: [Letter] = []
        var down = false
        var refused: Set<String> = []
        var sessions = 0
    }

    let port: Int
    let user: String
    let password: String
    private let channel: any Channel
    let state = NIOLockedValueBox(State())

    /// A self-signed certificate for `localhost`, valid for a hundred years: test-only, not a secret.
    static let certificatePEM = """
    -----BEGIN CERTIFICATE-----
    MIIBfjCCASWgAwIBAgIUIkLaDWftO29dDxc54BPaGo9ctsQwCgYIKoZIzj0EAwIw
    FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMjA2MjcxNloYDzIxMjYxMDI5
    MDYyNzE2WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
    PQMBBwNCAAS4YImC6sU2T2UFy3fPGcsCcyelB+B4rAAIxTN9fno0jr7h318mrtvi
    tWwMoEe+DZozr6lfOoKMGmqlJUfxPhGKo1MwUTAdBgNVHQ4EFgQUlBKkmLFW5dFy
    W/DZ/G95xTfI4zYwHwYDVR0jBBgwFoAUlBKkmLFW5dFyW/DZ/G95xTfI4zYwDwYD
    VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiBiCXwamUclkMCJ/QMHe9Pu
    GixbJLiwHEoXWGQ8gdFiqgIgF3B+pRNtOEQwPjyPBjpJfLlMYC5upORUBDPK+m60
    HoM=
    -----END CERTIFICATE-----
    """
    static let keyPEM = """
    -----BEGIN PRIVATE KEY-----
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgmkfuWtvtFx64P0bG
    a4IGAHiarfPFqS4Zjaqna+tgsKahRANCAAS4YImC6sU2T2UFy3fPGcsCcyelB+B4
    rAAIxTN9fno0jr7h318mrtvitWwMoEe+DZozr6lfOoKMGmqlJUfxPhGK
    -----END PRIVATE KEY-----
    """

    init(user: String, password: String, startTLS: Bool = false) async throws {
        self.user = user
        self.password = password
        let tls: NIOSSLContext? = startTLS ? try NIOSSLContext(configuration: .makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(Self.certificatePEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(Self.keyPEM.utf8), format: .pem)))) : nil
        let state = self.state
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FakeLineDecoder()))
                    try channel.pipeline.syncOperations.addHandler(FakeSMTPSession(state: state, user: user, password: password, tls: tls))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress!.port!
    }

    var letters: [Letter] { state.withLockedValue { $0.letters } }
    func setDown(_ down: Bool) { state.withLockedValue { $0.down = down } }
    func refuse(_ address: String) { state.withLockedValue { _ = $0.refused.insert(address) } }

    func shutdown() async throws { try await channel.close() }

    /// The decoded text body of a letter (base64 after the blank line).
    static func body(of letter: Letter) -> String {
        let parts = letter.data.components(separatedBy: "\r\n\r\n")
        let base64 = parts.dropFirst().joined().replacingOccurrences(of: "\r\n", with: "")
        return Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// The Subject header with its RFC 2047 words decoded.
    static func subject(of letter: Letter) -> String {
        let headers = letter.data.components(separatedBy: "\r\n\r\n").first ?? ""
        let unfolded = headers.replacingOccurrences(of: "\r\n ", with: " ")
        guard let line = unfolded.components(separatedBy: "\r\n").first(where: { $0.hasPrefix("Subject: ") }) else { return "" }
        return line.dropFirst(9).split(separator: " ").map { word -> String in
            guard word.hasPrefix("=?utf-8?B?"), word.hasSuffix("?=") else { return String(word) }
            return Data(base64Encoded: String(word.dropFirst(10).dropLast(2))).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }.joined()
    }
}

private struct FakeLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String
    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let nl = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else { return .needMoreData }
        var line = buffer.readString(length: nl - buffer.readerIndex + 1)!
        line.removeLast()
        if line.hasSuffix("\r") { line.removeLast() }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }
}

private final class FakeSMTPSession: ChannelInboundHandler {
    typealias InboundIn = String
    let state: NIOLockedValueBox<FakeSMTPServer.State>
    let user: String, password: String
    let tls: NIOSSLContext?
    var overTLS = false
    var authenticated: String?
    var from: String?
    var to: [String] = []
    var data: [String]?
    var loginStep = 0

    init(state: NIOLockedValueBox<FakeSMTPServer.State>, user: String, password: String, tls: NIOSSLContext?) {
        self.state = state; self.user = user; self.password = password; self.tls = tls
    }

    func channelActive(context: ChannelHandlerContext) {
        let down = state.withLockedValue { s in s.sessions += 1; return s.down }
        if down {
            reply(context, "421 4.3.2 Service not available")
            context.close(promise: nil)
        } else {
            reply(context, "220 fake.relay ESMTP ready")
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        if var lines = self.data {
            if line == "." {
                let text = lines.joined(separator: "\r\n")
                let letter = FakeSMTPServer.Letter(from: from ?? "", to: to, data: text, overTLS: overTLS, user: authenticated)
                state.withLockedValue { $0.letters.append(letter) }
                self.data = nil; from = nil; to = []
                reply(context, "250 2.0.0 queued")
            } else {
                lines.append(line.hasPrefix("..") ? String(line.dropFirst()) : line)
                self.data = lines
            }
            return
        }
        if loginStep == 1 { loginStep = 2; loginUser = decode(line); reply(context, "334 UGFzc3dvcmQ6"); return }
        if loginStep == 2 {
            loginStep = 0
            check(context, loginUser, decode(line))
            return
        }
        let upper = line.uppercased()
        if upper.hasPrefix("EHLO") {
            var caps = ["250-fake.relay", "250-8BITMIME", "250-AUTH PLAIN LOGIN"]
            if tls != nil && !overTLS { caps.append("250-STARTTLS") }
            caps.append("250 SIZE 10240000")
            reply(context, caps.joined(separator: "\r\n"))
        } else if upper == "STARTTLS", let tls {
            reply(context, "220 2.0.0 go ahead")
            overTLS = true
            try? context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
        } else if upper.hasPrefix("AUTH PLAIN ") {
            let parts = (Data(base64Encoded: String(line.dropFirst(11))) ?? Data()).split(separator: 0, omittingEmptySubsequences: false)
            let u = parts.count == 3 ? String(decoding: parts[1], as: UTF8.self) : ""
            let p = parts.count == 3 ? String(decoding: parts[2], as: UTF8.self) : ""
            check(context, u, p)
        } else if upper == "AUTH LOGIN" {
            loginStep = 1
            reply(context, "334 VXNlcm5hbWU6")
        } else if upper.hasPrefix("MAIL FROM:") {
            if authenticated == nil { reply(context, "530 5.7.0 Authentication required"); return }
            from = address(line); reply(context, "250 2.1.0 ok")
        } else if upper.hasPrefix("RCPT TO:") {
            let a = address(line)
            if state.withLockedValue({ $0.refused.contains(a) }) { reply(context, "550 5.1.1 <\(a)>: user unknown"); return }
            to.append(a); reply(context, "250 2.1.5 ok")
        } else if upper == "DATA" {
            guard from != nil, !to.isEmpty else { reply(context, "503 5.5.1 bad sequence"); return }
            self.data = []; reply(context, "354 end with <CRLF>.<CRLF>")
        } else if upper == "RSET" {
            from = nil; to = []; reply(context, "250 2.0.0 ok")
        } else if upper == "QUIT" {
            reply(context, "221 2.0.0 bye"); context.close(promise: nil)
        } else {
            reply(context, "502 5.5.2 unknown command")
        }
    }

    private var loginUser = ""

    private func check(_ context: ChannelHandlerContext, _ u: String, _ p: String) {
        if u == user && p == password { authenticated = u; reply(context, "235 2.7.0 authenticated") }
        else { reply(context, "535 5.7.8 authentication failed") }
    }

    private func decode(_ b64: String) -> String { Data(base64Encoded: b64).map { String(decoding: $0, as: UTF8.self) } ?? "" }

    private func address(_ line: String) -> String {
        guard let open = line.firstIndex(of: "<"), let close = line.lastIndex(of: ">"), open < close else { return "" }
        return String(line[line.index(after: open)..<close])
    }

    private func reply(_ context: ChannelHandlerContext, _ text: String) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text + "\r\n")), promise: nil)
    }

    typealias OutboundOut = ByteBuffer
}
