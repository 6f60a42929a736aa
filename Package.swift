// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "access-reconciler",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "access-reconciler", targets: ["access-reconciler"]),
        .executable(name: "reconciler-sandbox", targets: ["reconciler-sandbox"]),
        .executable(name: "reconciler-bench", targets: ["reconciler-bench"]),
        .library(name: "AccessReconciler", targets: ["AccessReconciler"]),
        .library(name: "OpsgenieClient", targets: ["OpsgenieClient"]),
        .library(name: "JSMClient", targets: ["JSMClient"]),
        .library(name: "HTTPSupport", targets: ["HTTPSupport"]),
        .library(name: "TeleportClient", targets: ["TeleportClient"]),
        .library(name: "ReconcilerTesting", targets: ["ReconcilerTesting"]),
        .library(name: "ReconcilerMonitoring", targets: ["ReconcilerMonitoring"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(
            name: "AccessReconciler",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "ReconcilerMonitoring",
            dependencies: [
                "AccessReconciler",
                "HTTPSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "HTTPSupport",
            dependencies: [.product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "OpsgenieClient",
            dependencies: [
                "AccessReconciler",
                "HTTPSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "JSMClient",
            dependencies: [
                "AccessReconciler",
                "HTTPSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TeleportClient",
            dependencies: [
                "HTTPSupport",
                "AccessReconciler",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .target(
            name: "ReconcilerTesting",
            dependencies: [
                "AccessReconciler",
                "TeleportClient",
                "OpsgenieClient",
                "JSMClient",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "ReconcilerCommands",
            dependencies: [
                "AccessReconciler",
                "OpsgenieClient",
                "JSMClient",
                "TeleportClient",
                "ReconcilerMonitoring",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The shipped binary: it must not depend on ReconcilerTesting (CommandLineTests checks its bytes).
        .executableTarget(
            name: "access-reconciler",
            dependencies: ["ReconcilerCommands"]
        ),
        .executableTarget(
            name: "reconciler-sandbox",
            dependencies: [
                "AccessReconciler",
                "ReconcilerCommands",
                "ReconcilerTesting",
                "ReconcilerMonitoring",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "reconciler-bench",
            dependencies: [
                "AccessReconciler",
                "ReconcilerTesting",
                "OpsgenieClient",
                "JSMClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "AccessReconcilerTests",
            dependencies: ["AccessReconciler", "ReconcilerTesting", "ReconcilerMonitoring"]
        ),
        .testTarget(
            name: "ReconcilerCommandsTests",
            dependencies: ["ReconcilerCommands", "AccessReconciler", "ReconcilerTesting", "ReconcilerMonitoring", "access-reconciler",
                           .product(name: "Yams", package: "Yams"), .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(
            name: "HTTPSupportTests",
            dependencies: ["HTTPSupport", "ReconcilerTesting"]
        ),
        .testTarget(
            name: "ReconcilerMonitoringTests",
            dependencies: ["ReconcilerMonitoring", "AccessReconciler", "ReconcilerTesting"]
        ),
        .testTarget(
            name: "TeleportClientTests",
            dependencies: ["TeleportClient", "AccessReconciler", "ReconcilerTesting"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["AccessReconciler", "ReconcilerTesting", "ReconcilerMonitoring", "TeleportClient", "OpsgenieClient", "JSMClient", "access-reconciler", "reconciler-sandbox"]
        ),
        .testTarget(
            name: "JSMClientTests",
            dependencies: ["JSMClient", "HTTPSupport", "AccessReconciler", "ReconcilerTesting"]
        ),
        .testTarget(
            name: "OpsgenieClientTests",
            dependencies: ["OpsgenieClient", "AccessReconciler", "ReconcilerTesting"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
