import Foundation

struct BenchOptions {
    var cases = 100_000
    var otklik = ".build/release/otklik"
    var postgresURL: String?
    var clockCount = 1_000_000

    static func parse(_ args: [String]) -> BenchOptions {
        var o = BenchOptions()
        var i = 1
        while i < args.count {
            switch args[i] {
            case "--cases": i += 1; o.cases = Int(args[i]) ?? o.cases
            case "--otklik": i += 1; o.otklik = args[i]
            case "--count": i += 1; o.clockCount = Int(args[i]) ?? o.clockCount
            default: break
            }
            i += 1
        }
        let env = ProcessInfo.processInfo.environment
        o.postgresURL = [env["OTKLIK_BENCH_POSTGRES_URL"], env["OTKLIK_TEST_POSTGRES_URL"]].compactMap { $0 }.first { !$0.isEmpty }
        return o
    }
}
