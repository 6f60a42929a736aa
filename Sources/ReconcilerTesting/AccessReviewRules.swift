import AccessReconciler

/// Teleport's rules for submitting an access review (`lib/services/access_request.go`), written
/// once so that the fake Auth Service and the in-memory port accept and refuse the same reviews.
public enum AccessReviewRules {
    /// A review-count threshold of a request: approvals or denials that decide it (0 never does).
    public struct Threshold: Sendable, Hashable {
        public var approve: Int
        public var deny: Int

        public init(approve: Int, deny: Int) {
            self.approve = approve
            self.deny = deny
        }
    }

    /// Why Teleport refuses a review, with its status and wording.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        public enum Kind: Sendable, Hashable {
            case onBehalfOfAnother, ownRequest, invalidState, notPending, uninitialized, alreadyReviewed
        }

        public var kind: Kind
        public var message: String

        /// Refusals that leave nothing to do for a reviewer (the client treats them as done).
        public var meansAlreadyDecided: Bool { kind == .alreadyReviewed || kind == .notPending }
        /// PERMISSION_DENIED in gRPC terms; else INVALID_ARGUMENT.
        public var isPermissionDenied: Bool { kind != .invalidState && kind != .uninitialized }
        public var description: String { message }
    }

    /// Checks a review of a request and returns the request's state once it is added.
    public static func review(author: String, caller: String, proposed: RequestState, requestUser: String,
                              state: RequestState, earlier: [AccessReview], thresholds: [Threshold]) throws(Refusal) -> RequestState {
        guard author == caller else {
            throw Refusal(kind: .onBehalfOfAnother, message: "user \(caller) cannot submit reviews on behalf of \(author)")
        }
        guard requestUser != caller else { throw Refusal(kind: .ownRequest, message: "user \(caller) cannot review their own request") }
        guard proposed == .approved || proposed == .denied else {
            throw Refusal(kind: .invalidState, message: "invalid proposed state: \(proposed)")
        }
        guard state == .pending else {
            throw Refusal(kind: .notPending, message: "the access request has been already \(state.description.lowercased())")
        }
        guard !thresholds.isEmpty else {
            throw Refusal(kind: .uninitialized, message: "request is uninitialized or does not support reviews")
        }
        guard !earlier.contains(where: { $0.author == author }) else {
            throw Refusal(kind: .alreadyReviewed, message: "user \"\(author)\" has already reviewed this request")
        }
        let all = earlier.map(\.proposedState) + [proposed]
        let approvals = all.filter { $0 == .approved }.count
        let denials = all.filter { $0 == .denied }.count
        if thresholds.contains(where: { $0.deny > 0 && denials >= $0.deny }) { return .denied }
        if thresholds.contains(where: { $0.approve > 0 && approvals >= $0.approve }) { return .approved }
        return .pending
    }
}
