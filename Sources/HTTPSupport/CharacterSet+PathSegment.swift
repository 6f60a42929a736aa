import Foundation

extension CharacterSet {
    /// Characters left as they are in one URL path segment (everything else, `/` included, is
    /// encoded): RFC 3986's unreserved characters.
    public static let urlPathSegmentUnreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
