import Dispatch
import Foundation

public enum ParallelTexts {
    /// `transform` applied to every text on all cores (at most `maxWorkers`), in contiguous chunks; each
    /// worker keeps its own stem cache, so the stemmer's work is shared within a chunk without locks.
    public static func map<Item: Sendable, T>(_ texts: [Item], maxWorkers: Int = 8,
                                              _ transform: (Item, inout [String: String]) -> T) -> [T] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, maxWorkers))
        let chunk = max(1, (texts.count + workers - 1) / workers)
        return withoutActuallyEscaping(transform) { transform in
            Array(unsafeUninitializedCapacity: texts.count) { buffer, initialized in
                nonisolated(unsafe) let results = buffer
                nonisolated(unsafe) let transform = transform
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var stems: [String: String] = [:]
                    let lo = w * chunk, hi = min(texts.count, lo + chunk)
                    guard lo < hi else { return }
                    for i in lo..<hi { (results.baseAddress! + i).initialize(to: transform(texts[i], &stems)) }
                }
                initialized = texts.count
            }
        }
    }
}
