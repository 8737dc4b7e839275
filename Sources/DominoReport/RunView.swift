import DominoLog
import DominoModel
import DominoReplay

/// The run view (one run, or a counterfactual drawn over its baseline): every chart of the
/// report's run section, as HTML sections.
package struct RunView {
    package var runs: [CapturedRun]
    /// The deposit the trace section follows: cohort, asset, quantity (tokens × 10^8).
    package var traceRequest: (cohort: String, asset: String, quantity: Int64)?

    package init(runs: [CapturedRun], trace: (cohort: String, asset: String, quantity: Int64)? = nil) {
        self.runs = runs; self.traceRequest = trace
    }

    var first: CapturedRun { runs[0] }
    var window: (Int64, Int64) { first.spec.window }
    var names: [String] { first.names }
    var roles: [String] { ModelReads.roles(first.run.model) }
    var pair: Bool { runs.count > 1 }

    /// Entities that take deposits or borrow (not pools): the ones whose balance sheets matter.
    var players: [Int] { names.indices.filter { roles[$0] != "pool" } }
    var platforms: [Int] { names.indices.filter { roles[$0] == "lender" || roles[$0] == "exchange" } }

    var markers: [LineChart.Marker] {
        var out: [LineChart.Marker] = []
        for (k, r) in runs.enumerated() {
            for (i, f) in ModelReads.failures(r.run.model).enumerated() {
                let tag = pair ? " (\(k == 0 ? "A" : "B"))" : ""
                if let t = f.halt { out.append(.init(time: t, label: "\(names[i]) halts" + tag, kind: "halt", dashed: k > 0)) }
                if let t = f.defaulted { out.append(.init(time: t, label: "\(names[i]) defaults" + tag, kind: "default", dashed: k > 0)) }
                if let t = f.insolvent { out.append(.init(time: t, label: "\(names[i]) insolvent" + tag, kind: "insolvency", dashed: k > 0)) }
            }
        }
        return out.sorted { ($0.time, $0.label) < ($1.time, $1.label) }
    }

    /// Series per entity of one metric, the counterfactual dashed over the baseline, the gap shaded.
    func entitySeries(_ entities: [Int], _ value: (EntityMetrics) -> Double?) -> [LineChart.Series] {
        var out: [LineChart.Series] = []
        for (c, i) in entities.enumerated() {
            for (k, r) in runs.enumerated() {
                let rows = r.run.entityMetrics.filter { $0.entity == i }
                let vals = rows.map { value($0) ?? .nan }
                out.append(.init(name: names[i] + (pair ? (k == 0 ? " A" : " B") : ""), times: rows.map(\.time), values: vals,
                                 color: c % 10, dashed: k > 0, shadeWith: k > 0 ? out.count - 1 : nil))
            }
        }
        return out
    }

    package func sections() -> [Section] {
        var out: [Section] = []
        let w = window
        // Prices, indexed to the window's start.
        let symbols = ModelReads.assetSymbols(first.run.model)
        var priceSeries: [LineChart.Series] = []
        for (a, sym) in symbols.enumerated() {
            let rows = first.run.priceMetrics.filter { $0.asset == a }
            guard let p0 = rows.first?.price.raw, p0 > 0 else { continue }
            priceSeries.append(.init(name: sym, times: rows.map(\.time), values: rows.map { Double($0.price.raw) / Double(p0) * 100 }, color: a % 10))
        }
        out.append(Section(id: "prices", title: "Prices of the assets in play",
                           explanation: "Each asset's price as a percentage of its price when the window opens (recorded prices, with the model's market impact in a counterfactual); vertical lines mark every halt, default and insolvency.",
                           body: LineChart(id: "chart-prices", title: "Prices", unit: "%", yLabel: "% of the price at the start", window: w,
                                           series: priceSeries, markers: markers, fromZero: true).render()))
        out.append(network())
        out.append(timeline())
        if let st = symbols.firstIndex(of: "stETH"), let eth = symbols.firstIndex(of: "ETH") {
            var ratio: [LineChart.Series] = []
            for (k, r) in runs.enumerated() {
                let s = r.run.priceMetrics.filter { $0.asset == st }, e = r.run.priceMetrics.filter { $0.asset == eth }
                ratio.append(.init(name: "stETH/ETH" + (pair ? " " + r.label : ""), times: s.map(\.time),
                                   values: zip(s, e).map { $1.price > .zero ? Double($0.price.raw) / Double($1.price.raw) : .nan }, color: 2, dashed: k > 0))
            }
            out.append(Section(id: "steth", title: "stETH/ETH ratio",
                               explanation: "Staked ETH in ETH: below 1 the discount a holder forced to sell stETH takes.",
                               body: LineChart(id: "chart-steth", title: "stETH/ETH", unit: "", yLabel: "ETH per stETH", window: w, series: ratio, markers: markers).render()))
        }
        let gapNote = pair ? " The counterfactual (B, dashed) is drawn over the baseline (A, solid); the shading is the gap." : ""
        out.append(Section(id: "equity", title: "Equity per entity",
                           explanation: "Assets minus liabilities at market prices, sampled every metrics interval." + gapNote,
                           body: LineChart(id: "chart-equity", title: "Equity", unit: "USD", yLabel: "equity (USD)", window: w,
                                           series: entitySeries(players) { Double($0.equity.raw) / 1e8 }, markers: markers, fromZero: true).render()))
        out.append(Section(id: "liquid", title: "Liquid reserves per entity",
                           explanation: "What each entity could pay out today: liquid holdings at market prices." + gapNote,
                           body: LineChart(id: "chart-liquid", title: "Liquid reserves", unit: "USD", yLabel: "liquid reserves (USD)", window: w,
                                           series: entitySeries(players) { Double($0.liquid.raw) / 1e8 }, markers: markers, fromZero: true).render()))
        out.append(Section(id: "coverage", title: "Coverage per platform",
                           explanation: "Liquid reserves over withdrawals asked for and not yet paid; drawn at 5× when nothing is pending or above. Below 1× a platform cannot pay what is asked." + gapNote,
                           body: LineChart(id: "chart-coverage", title: "Coverage", unit: "×", yLabel: "liquid ÷ pending withdrawals", window: w,
                                           series: entitySeries(platforms) { $0.coverage == .max ? 5 : min(5, Double($0.coverage.raw) / 1e8) }, markers: markers, fromZero: true).render()))
        out.append(withdrawals())
        out.append(lossFlow())
        out.append(losses())
        out.append(liquidations())
        out.append(Section(id: "reuse", title: "Reuse multiplier",
                           explanation: "What each entity owes (customer claims, loans taken, credit drawn) per dollar of assets in its custody: 3× means three dollars of claims on every dollar it holds." + gapNote,
                           body: LineChart(id: "chart-reuse", title: "Reuse multiplier", unit: "×", yLabel: "claims per dollar in custody", window: w,
                                           series: entitySeries(players) { Double($0.reuseMultiplier.raw) / 1e8 }, markers: markers, fromZero: true).render()))
        if let t = trace() { out.append(t) }
        return out
    }

    func withdrawals() -> Section {
        var series: [LineChart.Series] = []
        for (c, p) in platforms.enumerated() {
            for (k, r) in runs.enumerated() {
                let base = Double(max(1, r.run.claimsAtStart[p]))
                series.append(.init(name: names[p] + " paid" + (pair ? (k == 0 ? " A" : " B") : ""), times: r.snapshots.map(\.time),
                                    values: r.snapshots.map { Double($0.withdrawn[p]) / base * 100 }, color: c % 10, dashed: k > 0))
            }
            let r = first
            let base = Double(max(1, r.run.claimsAtStart[p]))
            let asked = r.requested.map { Double($0[p]) / base * 100 }
            // The record, every fourth sample as a dot (the line would hide the model's).
            let idx = Array(stride(from: 0, to: asked.count, by: 4))
            if asked.last ?? 0 > 0 {
                series.append(.init(name: names[p] + " asked (record)", times: idx.map { r.snapshots[$0].time }, values: idx.map { asked[$0] },
                                    color: c % 10, dots: true))
            }
        }
        return Section(id: "withdrawals", title: "Cumulative withdrawals as a share of deposits",
                       explanation: "Paid to each platform's depositors since the window opened, as a percentage of their claims at the start (lines), against what the recorded flows asked for (dots): where they part, the platform had stopped paying.",
                       body: LineChart(id: "chart-withdrawals", title: "Withdrawals", unit: "%", yLabel: "% of deposits at the start", window: window,
                                       series: series, markers: markers, fromZero: true).render())
    }

    func timeline() -> Section {
        let fates = runs.map { ModelReads.failures($0.run.model) }
        let rows = players.map { i in TimelineChart.Row(name: names[i], events: fates.map { $0[i] }) }
        return Section(id: "timeline", title: "Failure timeline",
                       explanation: "One row per entity: when it halted withdrawals, defaulted and was found insolvent." + (pair ? " Filled dots: A (\(runs[0].label)); hollow: B (\(runs[1].label)), so what was avoided or moved shows." : ""),
                       body: TimelineChart(id: "chart-timeline", title: "Failure timeline", window: window, rows: rows, runLabels: runs.map(\.label)).render())
    }

    func network() -> Section {
        let firstFail = ModelReads.failures(first.run.model).map { [$0.halt, $0.defaulted, $0.insolvent].compactMap { $0 }.min() }
        let layers = NetworkChart.layers(failureTimes: firstFail)
        var keys = Set<Snapshot.EdgeKey>()
        var maxAssets: Int64 = 1, maxEdge: Int64 = 1
        var nodeMax = [Int64](repeating: 0, count: names.count)
        for r in runs {
            for s in r.snapshots {
                for e in s.edges { keys.insert(e.key); maxEdge = max(maxEdge, e.usd) }
                for (i, sheet) in s.sheets.enumerated() { maxAssets = max(maxAssets, sheet.assets); nodeMax[i] = max(nodeMax[i], sheet.assets) }
            }
        }
        let edgeKeys = keys.sorted()
        let unit = Scrubber.unit(max: maxAssets)
        var body = Scrubber.controls(times: first.snapshots.map(\.time))
        body += "<div class=\"networks\">"
        for (k, r) in runs.enumerated() {
            let chart = NetworkChart(id: "net\(k)", title: "Exposure network: \(r.label)", names: names, roles: roles, layers: layers,
                                     edgeKeys: edgeKeys, snapshot: r.snapshots.last!, maxAssets: maxAssets, maxEdge: maxEdge, nodeMaxAssets: nodeMax)
            body += "<div class=\"netcol\"><h3>\(SVG.escape(r.label))</h3>" + chart.render()
            body += Scrubber.table(id: "sheet\(k)", names: names, snapshot: r.snapshots.last!, unit: unit) + "</div>"
        }
        body += "</div>"
        body += Scrubber.data(runs: runs, edgeKeys: edgeKeys, maxAssets: maxAssets, maxEdge: maxEdge, unit: unit)
        let example = Units.date(first.snapshots[first.snapshots.count / 2].time)
        return Section(id: "network", title: "Exposure network and balance sheets over time",
                       explanation: "Entities (circles sized by assets, coloured by status) and what they are owed by or have placed with each other (arrows sized by USD exposure), laid out by failure order: the first to fail on the left. Move the slider (or open the file with #t=\(example)) to redraw the network and the balance sheets at that moment.",
                       body: body)
    }

    func lossFlow() -> Section {
        var body = ""
        for (k, r) in runs.enumerated() {
            body += "<h3>\(SVG.escape(r.label))</h3>" + Self.lossSankey(r, id: "chart-lossflow\(k)").render()
        }
        return Section(id: "lossflow", title: "Loss flow: from the shock to the depositors",
                       explanation: "Losses each platform recognised on a defaulted borrower or frozen venue, and the rest of its hole (market prices, fire sales), passed on to the depositor cohorts that bear them at the end; what a platform's equity absorbed stops there.",
                       body: body)
    }

    /// Shock (counterparties, market) → platforms → cohorts (and "absorbed by equity").
    package static func lossSankey(_ r: CapturedRun, id: String) -> SankeyChart {
        let names = r.names
        let cohorts = ModelReads.cohorts(r.run.model)
        var recognised: [Int: [Int: Int64]] = [:] // platform → counterparty → USD; lookups only
        let agentCount = r.run.model.state.agents.count
        for o in r.run.outcomes where o.kind == .loss {
            guard let p = ModelReads.index(o.party, agents: agentCount), p < names.count,
                  let k = ModelReads.index(o.counterparty, agents: agentCount) else { continue }
            recognised[p, default: [:]][k, default: 0] += o.usd.raw
        }
        var collected = SankeyChart.Nodes()
        func node(_ name: String, _ column: Int) -> Int { collected.node(name, column) }
        var flows: [SankeyChart.Flow] = []
        for p in names.indices {
            let borne = cohorts.filter { $0.platform == p }.reduce(Int64(0)) { $0 + $1.loss }
            let fromCounterparties = (recognised[p] ?? [:]).values.reduce(0, +)
            guard borne > 0 || fromCounterparties > 0 else { continue }
            let pn = node(names[p], 1)
            for k in (recognised[p] ?? [:]).keys.sorted() {
                flows.append(.init(from: node("default of " + r.run.scenario.partyName(ModelReads.party(k, agents: agentCount)), 0), to: pn, value: recognised[p]![k]!))
            }
            if borne > fromCounterparties { flows.append(.init(from: node("market prices and runs", 0), to: pn, value: borne - fromCounterparties)) }
            for c in cohorts where c.platform == p && c.loss > 0 { flows.append(.init(from: pn, to: node(c.name, 2), value: c.loss)) }
            if fromCounterparties > borne { flows.append(.init(from: pn, to: node("absorbed by \(names[p])'s equity", 2), value: fromCounterparties - borne)) }
        }
        return SankeyChart(id: id, title: "Loss flow", nodes: collected.list, flows: flows, columnTitles: ["shock", "platform", "who bears it"])
    }

    func losses() -> Section {
        let all = runs.map { ModelReads.cohorts($0.run.model) }
        let categories = all[0].map { "\(names[$0.platform]) / \($0.name)" }
        let values = all.map { $0.map { Double($0.loss) / 1e8 } }
        return Section(id: "losses", title: "Depositor losses per platform and cohort",
                       explanation: "What each cohort loses at the end of the run: its remaining claims on a failed platform times the share the platform cannot cover." + (pair ? " Baseline (A) against counterfactual (B)." : ""),
                       body: BarChart(id: "chart-losses", title: "Losses", unit: "USD", categories: categories, groups: runs.map(\.label), values: values).render())
    }

    func liquidations() -> Section {
        var body = ""
        for (k, r) in runs.enumerated() {
            var sums: [Int64: [Int: Int64]] = [:] // day → pool → USD; lookups only
            var pools: [Int] = []
            let agentCount = r.run.model.state.agents.count
            for o in r.run.outcomes where o.kind == .liquidation {
                guard let pool = ModelReads.index(o.counterparty, agents: agentCount) else { continue }
                let day = o.time - (o.time % 86_400_000 + 86_400_000) % 86_400_000
                sums[day, default: [:]][pool, default: 0] += o.usd.raw
                if !pools.contains(pool) { pools.append(pool) }
            }
            pools.sort()
            var values: [(day: Int64, key: Int, value: Double)] = []
            for day in sums.keys.sorted() {
                for (j, p) in pools.enumerated() { if let v = sums[day]![p] { values.append((day, j, Double(v) / 1e8)) } }
            }
            if pair { body += "<h3>\(SVG.escape(r.label))</h3>" }
            body += StackedTimeBars(id: "chart-liquidations\(k)", title: "Liquidations", window: window,
                                    keys: pools.map { r.run.scenario.partyName(ModelReads.party($0, agents: agentCount)) }, values: values).render()
        }
        return Section(id: "liquidations", title: "Liquidation volume per day and pool",
                       explanation: "USD of collateral sold by each pool's liquidations, per UTC day.", body: body)
    }

    func trace() -> Section? {
        let r = first
        let spec = r.spec
        guard !spec.cohorts.isEmpty else { return nil }
        let model = r.startModel
        let request = traceRequest ?? {
            // Default: 10,000 of the asset most of the first cohort's claims are in.
            let c = model.state.cohorts[0]
            let a = c.claims.indices.max { (model.state.market.value($0, c.claims[$0]), $1) < (model.state.market.value($1, c.claims[$1]), $0) } ?? 0
            return (c.name, model.state.market.assets[a].symbol, 10_000 * 100_000_000)
        }()
        guard let c = r.run.scenario.cohortIndex[request.cohort], let a = r.run.scenario.assetIndex[request.asset] else { return nil }
        let t = DepositTrace.follow(run: r.run, at: model, cohort: c, asset: a, quantity: request.quantity, moment: spec.window.from)
        let summary = "Claims per dollar deposited: \(Units.tick(Double(t.claimsPerDollar) / 1e8, unit: "×")). At the end (\(t.platform) \(t.platformStatus)): returned \(Units.usd(t.returned)), lost \(Units.usd(t.lost))"
            + (t.lossBySource.isEmpty ? "." : " — " + t.lossBySource.map { "\($0.0) \(Units.usd($0.1))" }.joined(separator: ", ") + ".")
        return Section(id: "trace", title: "Where a deposit went: \(FixedPoint.format(request.quantity, decimals: 8).split(separator: ".")[0]) \(request.asset) of \(request.cohort)",
                       explanation: "The deposit followed through the rehypothecation chain on the balance sheets at the window's start, allocated pro rata over each holder's uses of the asset (as `domino trace` prints it). " + summary,
                       body: t.sankey(id: "chart-trace").render())
    }
}
