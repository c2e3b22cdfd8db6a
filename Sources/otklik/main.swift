import OtklikServer
import Foundation
import Vapor
#if os(Linux)
/// glibc's `mallopt` (<malloc.h>, not in the Glibc module); M_ARENA_MAX is -8 there.
@_silgen_name("mallopt") func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
// glibc gives every thread that allocates under contention an arena of its own (up to 8 a core) and keeps
// what they freed: an import that tokenises on all cores peaked at 540 MB instead of 370 MB. Four arenas
// keep the parallel work and return the memory. Set before any thread starts; MALLOC_ARENA_MAX overrides.
if ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil {
    _ = glibcMallopt(-8, 4)
}
#endif

// A thin entry point: everything lives in OtklikServer so tests drive the same code.
// `otklik model …` works on files only: it runs before Vapor, with no database and no configuration.
if CommandLine.arguments.dropFirst().first == "model" {
    let code = ModelCLI.run(Array(CommandLine.arguments.dropFirst(2)),
                            out: { print($0) },
                            err: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
    exit(code)
}
var env = try Environment.detect()
var options = LaunchOptions()
// `--demo` is ours, not Vapor's: take it out before Vapor parses the command line.
if let index = env.arguments.firstIndex(of: "--demo") {
    env.arguments.remove(at: index)
    options.demo = true
}
let command = env.arguments.dropFirst().first ?? "serve"
if command == "serve" || command.hasPrefix("-") {
    options.bootstrapAdministrator = true
    options.runMonitor = true
    options.autoMigrate = nil
}
try LoggingSystem.bootstrap(from: &env)
let app = try await Application.make(env)
do {
    let config = try AppConfig.from(environment: ProcessInfo.processInfo.environment)
    options.config = config
    if options.bootstrapAdministrator { options.autoMigrate = config.autoMigrate || options.demo }
    try await configure(app, options)
    try await app.execute()
} catch {
    FileHandle.standardError.write(Data("Ошибка: \(error)\n".utf8))
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
