/// A horizontal bar chart as a PNG for documents (Word needs a raster picture). Labels stay in the
/// document's table next to it: each bar is numbered, and its value is drawn after it with a small digit
/// font; the comparison bar is hatched, so the chart reads in black and white.
public enum RasterBarChart {
    public struct Bar: Sendable { public var value: Double; public var comparison: Double?
        public init(value: Double, comparison: Double? = nil) { self.value = value; self.comparison = comparison } }

    public static func png(_ bars: [Bar], width: Int = 900) -> (bytes: [UInt8], width: Int, height: Int) {
        let row = 30, top = 10, left = 46, right = 110
        let height = top * 2 + max(bars.count, 1) * row
        var canvas = Canvas(width: width, height: height)
        let maxValue = max(bars.map { max($0.value, $0.comparison ?? 0) }.max() ?? 0, 1)
        let plot = Double(width - left - right)
        for (i, bar) in bars.enumerated() {
            let y = top + i * row
            canvas.text(String(i + 1), x: 8, y: y + 8, scale: 2, color: (40, 50, 60))
            if let c = bar.comparison {
                let w = Int(c / maxValue * plot)
                canvas.hatch(x: left, y: y + 17, w: w, h: 8, color: (110, 130, 150))
            }
            let w = max(Int(bar.value / maxValue * plot), bar.value > 0 ? 2 : 0)
            canvas.fill(x: left, y: y + 3, w: w, h: 13, color: (47, 109, 179))
            canvas.text(Self.number(bar.value), x: left + w + 8, y: y + 4, scale: 2, color: (20, 30, 40))
        }
        return (PNGEncoder.encode(width: width, height: height, rgb: canvas.pixels), width, height)
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(Int((v * 10).rounded()) / 10) + "." + String(abs(Int((v * 10).rounded())) % 10)
    }

    struct Canvas {
        let width: Int, height: Int
        var pixels: [UInt8]
        init(width: Int, height: Int) { self.width = width; self.height = height; pixels = Array(repeating: 255, count: width * height * 3) }

        mutating func set(_ x: Int, _ y: Int, _ c: (UInt8, UInt8, UInt8)) {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            let i = (y * width + x) * 3
            pixels[i] = c.0; pixels[i + 1] = c.1; pixels[i + 2] = c.2
        }

        mutating func fill(x: Int, y: Int, w: Int, h: Int, color: (UInt8, UInt8, UInt8)) {
            for yy in y..<(y + h) { for xx in x..<(x + w) { set(xx, yy, color) } }
        }

        /// Diagonal lines inside a thin frame.
        mutating func hatch(x: Int, y: Int, w: Int, h: Int, color: (UInt8, UInt8, UInt8)) {
            guard w > 0 else { return }
            for yy in y..<(y + h) { for xx in x..<(x + w) where (xx + yy) % 4 == 0 || yy == y || yy == y + h - 1 || xx == x || xx == x + w - 1 { set(xx, yy, color) } }
        }

        /// Digits, the point and the minus in a 3×5 font, scaled.
        mutating func text(_ s: String, x: Int, y: Int, scale: Int, color: (UInt8, UInt8, UInt8)) {
            var cx = x
            for ch in s {
                guard let rows = Self.font[ch] else { cx += 4 * scale; continue }
                for (ry, bits) in rows.enumerated() {
                    for rx in 0..<3 where bits & (4 >> rx) != 0 { fill(x: cx + rx * scale, y: y + ry * scale, w: scale, h: scale, color: color) }
                }
                cx += 4 * scale
            }
        }

        static let font: [Character: [Int]] = [
            "0": [7, 5, 5, 5, 7], "1": [2, 6, 2, 2, 7], "2": [7, 1, 7, 4, 7], "3": [7, 1, 7, 1, 7], "4": [5, 5, 7, 1, 1],
            "5": [7, 4, 7, 1, 7], "6": [7, 4, 7, 5, 7], "7": [7, 1, 2, 2, 2], "8": [7, 5, 7, 5, 7], "9": [7, 5, 7, 1, 7],
            ".": [0, 0, 0, 0, 2], "-": [0, 0, 7, 0, 0], "%": [5, 1, 2, 4, 5],
        ]
    }
}
