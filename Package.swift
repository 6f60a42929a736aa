// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "access-reconciler",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "access-reconciler", targets: ["access-reconciler"]),
        .library(name: "AccessReconciler", targets: ["AccessReconciler"]),
        .library(name: "OpsgenieClient", targets: ["OpsgenieClient"]),
        .library(name: "ReconcilerTesting", targets: ["ReconcilerTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
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
            name: "OpsgenieClient",
            dependencies: [
                "AccessReconciler",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ReconcilerTesting",
            dependencies: [
                "AccessReconciler",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "access-reconciler",
            dependencies: [
                "AccessReconciler",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "AccessReconcilerTests",
            dependencies: ["AccessReconciler", "ReconcilerTesting", "access-reconciler"]
        ),
        .testTarget(
            name: "OpsgenieClientTests",
            dependencies: ["OpsgenieClient", "AccessReconciler", "ReconcilerTesting"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
