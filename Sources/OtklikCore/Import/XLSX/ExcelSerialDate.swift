/// Spreadsheet dates are numbers: days since an epoch, the fraction being the time of day, with no time
/// zone (the wall clock of whoever typed them). We render them as the Russian wall-clock text that
/// exports use (`06.01.2026` or `06.01.2026 14:30:00`); the importer then reads that text in the
/// municipality's zone like any other date in the file.
public enum ExcelSerialDate {
    /// - Parameter date1904: the workbook's "1904 date system" flag (old Mac workbooks).
    public static func text(serial: Double, date1904: Bool = false) -> String? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil } // up to 9999-12-31
        var whole = serial.rounded(.down)
        var seconds = Int(((serial - whole) * 86_400).rounded())
        if seconds >= 86_400 { seconds -= 86_400; whole += 1 }
        // 1900 system: day 1 is 1900-01-01 and Lotus's phantom 1900-02-29 is day 60, so from day 61 the
        // epoch is 1899-12-30; before it, one day later.
        var days = Int(whole)
        let epochOffset: Int
        if date1904 { epochOffset = civilDays(year: 1904, month: 1, day: 1) }
        else {
            epochOffset = civilDays(year: 1899, month: 12, day: 30)
            if days < 61 { days += 1 }
        }
        let (y, m, d) = civil(fromDays: epochOffset + days)
        let date = pad2(d) + "." + pad2(m) + "." + String(y)
        guard seconds > 0 else { return date }
        return date + " " + pad2(seconds / 3600) + ":" + pad2(seconds / 60 % 60) + ":" + pad2(seconds % 60)
    }

    /// The serial number of a wall-clock date (for writing report files).
    public static func serial(year: Int, month: Int, day: Int, seconds: Int = 0) -> Double {
        Double(civilDays(year: year, month: month, day: day) - civilDays(year: 1899, month: 12, day: 30))
            + Double(seconds) / 86_400
    }

    private static func civilDays(year: Int, month: Int, day: Int) -> Int {
        CivilDate.epochDay(year: year, month: month, day: day) ?? 0
    }

    private static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let c = CivilDate.civil(fromEpochDay: days)
        return (c.year, c.month, c.day)
    }

    private static func pad2(_ v: Int) -> String { v < 10 ? "0" + String(v) : String(v) }
}
