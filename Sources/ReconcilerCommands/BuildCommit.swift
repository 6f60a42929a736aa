// Written by scripts/build-release.sh for a release build; nil in a checkout.
let buildCommit: String? = nil
