#!/usr/bin/env bash
# Regenerates the Swift code for the Teleport gRPC subset in Protos/ into
# Sources/TeleportClient/Generated/. The output is committed: building the generator plugins takes
# longer than CI allows, so CI compiles the committed files and this script is run by hand after
# a change to Protos/.
#
# Needs protoc (Debian: apt-get install protobuf-compiler) and builds the two plugins from the
# package versions pinned below, in .build-plugins/ (ignored by git). To use plugins built
# elsewhere, set PROTOC_GEN_SWIFT and PROTOC_GEN_GRPC_SWIFT to their paths.
set -euo pipefail
cd "$(dirname "$0")/.."

SWIFT_PROTOBUF_VERSION=1.39.0
GRPC_SWIFT_PROTOBUF_VERSION=2.4.1
OUT=Sources/TeleportClient/Generated

command -v protoc >/dev/null || { echo "protoc not found: apt-get install protobuf-compiler" >&2; exit 1; }
PROTO_INCLUDE=${PROTO_INCLUDE:-/usr/include}
[ -f "$PROTO_INCLUDE/google/protobuf/timestamp.proto" ] || { echo "google/protobuf/*.proto not found under $PROTO_INCLUDE" >&2; exit 1; }

if [ -z "${PROTOC_GEN_SWIFT:-}" ] || [ -z "${PROTOC_GEN_GRPC_SWIFT:-}" ]; then
  mkdir -p .build-plugins
  cat > .build-plugins/Package.swift <<PKG
// swift-tools-version: 6.1
import PackageDescription
let package = Package(
    name: "plugins",
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", exact: "$SWIFT_PROTOBUF_VERSION"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", exact: "$GRPC_SWIFT_PROTOBUF_VERSION"),
    ],
    targets: [.target(name: "Plugins", dependencies: [
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
    ])]
)
PKG
  mkdir -p .build-plugins/Sources/Plugins && : > .build-plugins/Sources/Plugins/Plugins.swift
  swift build --package-path .build-plugins -c release --product protoc-gen-swift
  swift build --package-path .build-plugins -c release --product protoc-gen-grpc-swift-2
  bin=$(swift build --package-path .build-plugins -c release --show-bin-path)
  PROTOC_GEN_SWIFT=${PROTOC_GEN_SWIFT:-$bin/protoc-gen-swift}
  PROTOC_GEN_GRPC_SWIFT=${PROTOC_GEN_GRPC_SWIFT:-$bin/protoc-gen-grpc-swift-2}
fi

rm -rf "$OUT"
mkdir -p "$OUT"
protos=(teleport/wrappers.proto teleport/types.proto teleport/authservice.proto teleport/users_service.proto)
protoc --plugin=protoc-gen-swift="$PROTOC_GEN_SWIFT" -I Protos -I "$PROTO_INCLUDE" \
  --swift_out="$OUT" --swift_opt=Visibility=Public,FileNaming=DropPath \
  "${protos[@]}"
# Only authservice.proto and users_service.proto declare services.
protoc --plugin=protoc-gen-grpc-swift="$PROTOC_GEN_GRPC_SWIFT" -I Protos -I "$PROTO_INCLUDE" \
  --grpc-swift_out="$OUT" --grpc-swift_opt=Visibility=Public,FileNaming=DropPath,Client=true,Server=true \
  teleport/authservice.proto teleport/users_service.proto
echo "generated: $(ls "$OUT" | tr '\n' ' ')"
