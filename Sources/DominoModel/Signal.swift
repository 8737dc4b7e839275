/// A dated piece of public information about one agent, or the whole market (nil): an article,
/// an announcement, a market event. Depositors of an agent and of its creditors see it from
/// `time` on, with an alarm of `severity` that fades over `Behaviour.signalFade`. A platform's own
/// modelled outcomes (its halt, default, filing) are never signals: the spec refuses them.
package struct Signal: Codable, Equatable, Sendable {
    package var time: Int64
    package var subject: AgentID?
    /// 0…1 × 10^8.
    package var severity: Ratio

    package init(time: Int64, subject: AgentID?, severity: Ratio) {
        self.time = time; self.subject = subject; self.severity = severity
    }
}
