import Fluent
import Foundation
import OtklikCore
import Vapor

/// The demo centre's personal composition, linked to the demo's accounts (fictional people and posts).
struct DemoCentre {
    let app: Application
    let tenantID: UUID
    let now: Date

    static let composition: [(login: String, name: String, position: String, role: CentreRole)] = [
        ("demo.curator", "Лебедева И. В. (демо)", "управляющий делами администрации", .curator),
        ("demo.coordinator", "Киселёв С. А. (демо)", "первый заместитель главы округа", .coordinator),
        ("demo.mcu", "Васильев В. Н. (демо)", "заведующий отделом информационного обеспечения", .head),
        ("demo.pos", "Кузнецова С. В. (демо)", "ведущий специалист, ответственный за ПОС", .channelResponsible),
        ("demo.im", "Михайлов С. Ю. (демо)", "специалист, ответственный за «Инцидент Менеджмент»", .channelResponsible),
        ("demo.risk", "Андреева О. П. (демо)", "специалист по информационной политике", .member),
        ("demo.block.housing", "Шенгоф Н. В. (демо)", "заместитель главы по ЖКХ", .blockLead),
        ("demo.block.roads", "Шацкий А. А. (демо)", "заместитель главы по дорожному хозяйству", .blockLead),
    ]

    func load() async throws {
        let db = app.db
        guard let m = try await Municipality.find(tenantID, on: db), let admin = try await User.query(on: db).filter(\.$login == "demo.admin").first() else { return }
        let access = TenantAccess.acting(in: m, roles: [.administrator], label: admin.fullName, userID: admin.id)
        let members = CentreMembers(db: db, access: access, now: now)
        let yearStart = LocalDay(year: members.today.year, month: 1, day: 1)!
        var ids: [CentreRole: UUID] = [:]
        for entry in Self.composition {
            let user = try await User.query(on: db).filter(\.$login == entry.login).first()
            let saved = try await members.save(["full_name": .string(entry.name), "position": .string(entry.position), "role": .string(entry.role.rawValue),
                                                "from_on": .string(yearStart.iso), "user_id": user.map { .string($0.id!.uuidString) } ?? .null], existing: nil)
            ids[entry.role] = ids[entry.role] ?? saved.id
        }
        // Decree 004: the head of the МЦУ replaces the curator in absence.
        if let curatorID = ids[.curator], let headID = ids[.head], let curator = try await CentreMemberRecord.find(curatorID, on: db) {
            _ = try await members.save(["version": .number(Double(curator.version)), "substitute_id": .string(headID.uuidString)], existing: curator)
        }
        try await meeting(m, today: members.today)
    }

    /// A meeting held two weeks ago, its protocol signed: one assignment reported, one overdue.
    private func meeting(_ m: Municipality, today: LocalDay) async throws {
        let db = app.db
        guard let coordinator = try await User.query(on: db).filter(\.$login == "demo.coordinator").first() else { return }
        let access = TenantAccess.acting(in: m, roles: [.coordinator], label: coordinator.fullName, userID: coordinator.id)
        let schedule = try await TenantRegulation.schedule(tenantID: tenantID, on: db)
        func working(from day: LocalDay) -> LocalDay {
            var d = day
            for _ in 0..<30 where schedule.period(day: d.ordinal) == nil { d = d.adding(days: 1) }
            return d
        }
        let held = working(from: today.adding(days: -14))
        let startsAt = held.start(in: access.zone).addingTimeInterval(10 * 3_600)
        let service = Meetings(db: db, access: access, now: startsAt.addingTimeInterval(-86_400))
        let meeting = try await service.create(["starts_at": .string(TimeText.formatRFC3339(startsAt)), "form": "in_person", "place": "малый зал администрации (демо)"])
        try await service.addItem(meeting.id!, ["title": "О росте обращений по вывозу мусора в частном секторе", "speaker": "Шенгоф Н. В. (демо)",
                                                "links": .array(["рейтинг организаций", "группы похожих: вывоз мусора"].map(JSONValue.string))])
        try await service.addItem(meeting.id!, ["title": "О подготовке к уборке снега", "speaker": "Шацкий А. А. (демо)"])
        let items = try await MeetingItemRecord.query(on: db).filter(\.$meetingID == meeting.id!).sort(\.$position).all()
        let orgs = Dictionary(uniqueKeysWithValues: try await Organisation.query(on: db).filter(\.$tenantID == tenantID).all().map { ($0.name, $0.id!) })
        let after = Meetings(db: db, access: access, now: startsAt.addingTimeInterval(3_600))
        try await after.hold(meeting.id!)
        for (item, text, org, due) in [
            (items[0], "Утвердить дополнительный график вывоза мусора в частном секторе и опубликовать его.", "Управление жилищно-коммунального хозяйства", working(from: today.adding(days: -3))),
            (items[1], "Проверить готовность снегоуборочной техники и доложить МЦУ.", "Отдел дорожного хозяйства и благоустройства", working(from: today.adding(days: 5))),
        ] {
            guard let orgID = orgs[org] else { continue }
            try await after.addDecision(meeting.id!, ["item_id": .string(item.id!.uuidString), "text": .string(text),
                                                      "organisation_id": .string(orgID.uuidString), "due_on": .string(due.iso)])
        }
        _ = try await after.sign(meeting.id!)
        // A roadmap against the waste complaints discussed at the meeting, its first step done five weeks ago.
        if let waste = try await Rubric.query(on: db).filter(\.$tenantID == tenantID).filter(\.$name == "Твёрдые коммунальные отходы").first() {
            let maps = Roadmaps(db: db, access: access, now: now)
            let map = try await maps.create(["title": "Вывоз ТКО без срывов (демо)", "goal": "Вдвое меньше жалоб на вывоз мусора к весне",
                                             "target_kind": "category", "target_id": .string(waste.id!.uuidString), "window_days": 28])
            try await maps.addStep(map.id!, ["title": "Дополнительный рейс мусоровоза в частный сектор", "due_on": .string(today.adding(days: -36).iso)])
            try await maps.addStep(map.id!, ["title": "Новые контейнерные площадки на 5 улицах", "due_on": .string(today.adding(days: 40).iso)])
            if let first = try await RoadmapStepRecord.query(on: db).filter(\.$roadmapID == map.id!).sort(\.$position).first() {
                try await maps.completeStep(map.id!, ["step_id": .string(first.id!.uuidString), "done_on": .string(today.adding(days: -35).iso)])
            }
            _ = try await Practices(db: db, access: access, now: now).create([
                "title": "График вывоза ТКО публикуется заранее (демо)", "description": "Перед праздниками и при сбоях график рейсов публикуется на официальных страницах и в чатах старост.",
                "basis": "порядок работы с информационными рисками, превентивные кампании", "category_id": .string(waste.id!.uuidString),
                "roadmap_id": .string(map.id!.uuidString), "adopted_on": .string(today.adding(days: -35).iso), "window_days": 28])
        }
        // The roads department has reported; the housing one is late.
        if let roads = try await AssignmentRecord.query(on: db).filter(\.$tenantID == tenantID).filter(\.$meetingID == meeting.id!).sort(\.$number).all().last {
            _ = try await Assignments(db: db, access: access, now: now).act(roads.id!, .report, ["version": .number(Double(roads.version)),
                                                                                               "text": "Техника осмотрена, две единицы в ремонте до пятницы (демо)."])
        }
    }
}
