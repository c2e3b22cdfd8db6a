import Foundation

// Intake benchmark: the same generated cases stored three ways in one run, figures side by side.
//   swift run -c release otklik-bench [--cases N] [--otklik .build/release/otklik]
//   swift run -c release otklik-bench clocks [--count N]      deadline computations per second
//   swift run -c release otklik-bench queue [--cases N]       the inbox page on N cases vs raw SQL
//   swift run -c release otklik-bench spreadsheet [--cases N] a ПОС XLSX through the import API vs raw SQL
//   swift run -c release otklik-bench analytics [--cases N]   dashboard requests and the memo on N generated cases
//   swift run -c release otklik-bench text [--cases N]        `otklik model train/predict` on N labelled texts
// PostgreSQL too when OTKLIK_BENCH_POSTGRES_URL (or OTKLIK_TEST_POSTGRES_URL) is set.
let options = BenchOptions.parse(CommandLine.arguments)
if CommandLine.arguments.dropFirst().first == "clocks" {
    ClockBench.run(count: options.clockCount)
    exit(0)
}
let work = FileManager.default.temporaryDirectory.appendingPathComponent("otklik-bench-\(ProcessInfo.processInfo.processIdentifier)")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
/// `exit` skips `defer`: the scratch databases (hundreds of MB) are removed here instead.
/// A failed run keeps its server logs (the databases go) for the reader to see why.
func finish(_ code: Int32) -> Never {
    if code != 0, let files = try? FileManager.default.contentsOfDirectory(at: work, includingPropertiesForKeys: nil) {
        for f in files where f.pathExtension != "log" { try? FileManager.default.removeItem(at: f) }
        print("Журналы серверов оставлены в \(work.path)")
        exit(code)
    }
    try? FileManager.default.removeItem(at: work)
    exit(code)
}

if CommandLine.arguments.dropFirst().first == "text" {
    let count = CommandLine.arguments.contains("--cases") ? options.cases : 100_000
    print("Otklik text classifier benchmark: \(ProcessInfo.processInfo.activeProcessorCount) cores, binary \(options.otklik)")
    do { finish(try TextBench.run(count: count, otklik: options.otklik, work: work) ? 0 : 1) }
    catch { print("text benchmark failed: \(error)"); finish(1) }
}

if CommandLine.arguments.dropFirst().first == "analytics" {
    let count = CommandLine.arguments.contains("--cases") ? options.cases : 1_000_000
    print("Otklik analytics benchmark: \(count) generated cases, \(ProcessInfo.processInfo.activeProcessorCount) cores, binary \(options.otklik)")
    var targets: [BenchTarget] = [.sqlite(directory: work)]
    if let url = options.postgresURL { targets.append(.postgres(adminURL: url)) }
    var met = true
    for target in targets {
        do { met = try await AnalyticsBench.run(target: target, cases: count, otklik: options.otklik, work: work) && met }
        catch { print("\(target.name): analytics benchmark failed: \(error)"); finish(1) }
    }
    finish(met ? 0 : 1)
}

let queueMode = CommandLine.arguments.dropFirst().contains("queue")
let mode = queueMode ? "queue" : CommandLine.arguments.dropFirst().contains("spreadsheet") ? "spreadsheet import" : "intake"
print("Otklik \(mode) benchmark: \(options.cases) cases, \(ProcessInfo.processInfo.activeProcessorCount) cores, binary \(options.otklik)")
let cases = BenchCases.generate(count: options.cases)
let jsonl = work.appendingPathComponent("cases.jsonl")
try cases.jsonLines().write(to: jsonl)
print("Generated \(cases.rows.count) cases (\(try Data(contentsOf: jsonl).count / 1024) KiB of JSON Lines)\n")

var targets: [BenchTarget] = [.sqlite(directory: work)]
if let url = options.postgresURL { targets.append(.postgres(adminURL: url)) }
if CommandLine.arguments.dropFirst().contains("spreadsheet") {
    var met = true
    for target in targets {
        do { met = try await SpreadsheetBench.run(target: target, cases: cases, otklik: options.otklik, work: work) && met }
        catch { print("\(target.name): spreadsheet benchmark failed: \(error)"); finish(1) }
    }
    finish(met ? 0 : 1)
}
if queueMode {
    for target in targets {
        do { try await QueueBench.run(target: target, cases: cases, jsonl: jsonl, otklik: options.otklik, work: work) }
        catch { print("\(target.name): queue benchmark failed: \(error)"); finish(1) }
    }
    finish(0)
}
var failed = false
for target in targets {
    do {
        let results = try await IntakeBench(target: target, cases: cases, jsonl: jsonl, otklik: options.otklik, work: work).run()
        failed = results.print(target: target) == false || failed
    } catch {
        print("\(target.name): benchmark failed: \(error)")
        failed = true
    }
}
finish(failed ? 1 : 0)
