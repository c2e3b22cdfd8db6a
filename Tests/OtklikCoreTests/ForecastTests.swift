import Foundation
@testable import OtklikCore
import Testing

@Suite("Прогноз поступления по неделям: модель, ошибка на истории, короткие ряды")
struct ForecastTests {
    @Test("постоянный поток: прогноз тот же, ошибка на истории нулевая")
    func flat() throws {
        let r = try Forecast.forecast(Array(repeating: 40, count: 20), horizon: 4)
        #expect(r.values.count == 4 && r.values.allSatisfy { abs($0 - 40) < 0.01 })
        #expect(r.mae.map { $0 < 0.01 } == true && r.mape.map { $0 < 0.001 } == true && r.backtestWeeks > 0)
        #expect(r.model == "Холт с затухающим трендом")
    }

    @Test("рост на 5 в неделю: прогноз продолжает рост (с затуханием), а не стоит на месте")
    func trend() throws {
        let series = (0..<30).map { 100 + 5 * Double($0) }   // last = 245
        let r = try Forecast.forecast(series, horizon: 2)
        #expect(r.values[0] > 245 && r.values[0] < 252, "\(r.values)")
        #expect(r.values[1] > r.values[0])
    }

    @Test("два года с новогодним провалом: модель с сезонностью ждёт провал в ту же неделю")
    func seasonal() throws {
        // 2 years + 50 weeks; week 51 of each year (index 51, 103, 155) drops to 10 from 50.
        var series = Array(repeating: 50.0, count: 154)
        for i in [51, 103] { series[i] = 10 }
        let r = try Forecast.forecast(series, horizon: 2)   // next: index 154 (week 50), 155 (week 51)
        #expect(r.model.contains("сезонностью"))
        #expect(r.values[1] < r.values[0] * 0.6, "провал ожидается: \(r.values)")
    }

    @Test("короткий ряд — понятный отказ; нули не ломают расчёт")
    func short() throws {
        #expect(throws: Forecast.Problem.tooShort(weeks: 3)) { try Forecast.forecast([1, 2, 3], horizon: 1) }
        #expect(Forecast.Problem.tooShort(weeks: 3).russian == "мало данных для прогноза: 3 недели истории, нужно не меньше 8")
        let zeros = try Forecast.forecast(Array(repeating: 0, count: 12), horizon: 3)
        #expect(zeros.values == [0, 0, 0] && zeros.mape == nil && zeros.mae == 0)
    }
}
