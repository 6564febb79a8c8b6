// swift-tools-version: 6.2
import PackageDescription

/// Every target is compiled in Swift 6 language mode with strict concurrency
/// and the upcoming features the style guide asks for.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// MARK: - Dependencies by product

let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let hummingbirdTesting = Target.Dependency.product(name: "HummingbirdTesting", package: "hummingbird")
let postgres = Target.Dependency.product(name: "PostgresNIO", package: "postgres-nio")
let configuration = Target.Dependency.product(name: "Configuration", package: "swift-configuration")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let metrics = Target.Dependency.product(name: "Metrics", package: "swift-metrics")
let prometheus = Target.Dependency.product(name: "Prometheus", package: "swift-prometheus")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let mustache = Target.Dependency.product(name: "Mustache", package: "swift-mustache")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let httpClient = Target.Dependency.product(name: "AsyncHTTPClient", package: "async-http-client")
let subprocess = Target.Dependency.product(name: "Subprocess", package: "swift-subprocess")
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
let nioHTTP1 = Target.Dependency.product(name: "NIOHTTP1", package: "swift-nio")
let jwtKit = Target.Dependency.product(name: "JWTKit", package: "jwt-kit")
let bcrypt = Target.Dependency.product(name: "HummingbirdBcrypt", package: "hummingbird-auth")
let multipart = Target.Dependency.product(name: "MultipartKit", package: "multipart-kit")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")

// MARK: - Helpers that keep the targets alike

/// One service: an executable target `Services/<name>/` named `<Name>`,
/// shipped as the executable `<name>`, with its versioned SQL migrations, its
/// OpenAPI document and any other folders named in `resources` as resources.
func service(
    _ name: String, dependencies: [Target.Dependency], migrations: Bool = true, resources: [String] = []
) -> Target {
    .executableTarget(
        name: name.prefix(1).uppercased() + name.dropFirst(),
        dependencies: ["ServiceKit", hummingbird, configuration, argumentParser] + dependencies,
        path: "Services/\(name)",
        resources: (migrations ? [.copy("Migrations")] : []) + [.copy("openapi.json")] + resources.map { .copy($0) },
        swiftSettings: swiftSettings
    )
}

/// A shared Swift module under `Shared/<name>/`.
func shared(_ name: String, dependencies: [Target.Dependency]) -> Target {
    .target(name: name, dependencies: dependencies, path: "Shared/\(name)", swiftSettings: swiftSettings)
}

/// A test target under `Tests/<name>/`.
func tests(_ name: String, dependencies: [Target.Dependency]) -> Target {
    .testTarget(name: name, dependencies: dependencies, path: "Tests/\(name)", swiftSettings: swiftSettings)
}

let services = ["auth", "gateway", "media", "social", "notify"]

let package = Package(
    name: "clipset",
    platforms: [.macOS(.v15)],
    products: services.map {
        .executable(name: $0, targets: [$0.prefix(1).uppercased() + $0.dropFirst()])
    },
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // C libraries from Debian's -dev packages.
        .systemLibrary(
            name: "CRabbitMQ", path: "Shared/CRabbitMQ", pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]
        ),
        .systemLibrary(
            name: "CHiredis", path: "Shared/CHiredis", pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        .systemLibrary(
            name: "CFFmpeg", path: "Shared/CFFmpeg", pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev"])]
        ),
        .systemLibrary(
            name: "CCurl", path: "Shared/CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),

        // Shared modules, one concern each.
        shared("Contracts", dependencies: []),
        shared("ImportKit", dependencies: ["Contracts", "Database", "ServiceKit", postgres, nioPosix, logging, argumentParser]),
        shared("ServiceKit", dependencies: [
            hummingbird, configuration, logging, metrics, prometheus, lifecycle, argumentParser,
        ]),
        shared("Database", dependencies: [postgres, configuration, logging, lifecycle]),
        shared("AMQP", dependencies: ["CRabbitMQ", nioCore, nioPosix, logging, lifecycle]),
        shared("Messaging", dependencies: [
            "AMQP", "Database", "Contracts", postgres, configuration, logging, metrics, lifecycle,
        ]),
        shared("Redis", dependencies: ["CHiredis", nioCore, nioPosix, logging, lifecycle]),
        shared("MediaProbe", dependencies: ["CFFmpeg", nioCore, nioPosix, logging]),
        shared("Mail", dependencies: ["CCurl", nioCore, nioPosix, logging]),
        shared("Identity", dependencies: [
            "ServiceKit", "Database", "Messaging", "Contracts", jwtKit, crypto, hummingbird, httpClient, postgres,
            nioCore, nioHTTP1, configuration, logging, lifecycle,
        ]),
        shared("Images", dependencies: [subprocess, logging]),
        shared("Transcoding", dependencies: [subprocess, logging]),
        shared("FormData", dependencies: ["ServiceKit", multipart, hummingbird, nioCore, nioPosix]),
        shared("MediaStreaming", dependencies: ["ServiceKit", hummingbird, crypto, nioCore, nioPosix, logging]),
        shared("Tus", dependencies: ["ServiceKit", hummingbird, crypto, nioCore, nioPosix, logging]),
        shared("Infrastructure", dependencies: [
            "ServiceKit", "Database", "Messaging", "AMQP", "Redis", "Identity", "Contracts", hummingbird, httpClient, postgres,
            configuration, logging, lifecycle,
        ]),

        // The five services.
        service("auth", dependencies: [
            "Infrastructure", "Identity", "Database", "Messaging", "Redis", "Contracts", "Images", "FormData", "ImportKit",
            jwtKit, bcrypt, crypto, postgres, nioCore, nioPosix, lifecycle, logging,
        ]),
        service("gateway", dependencies: [
            "Redis", "Identity", httpClient, nioCore, nioHTTP1, logging, lifecycle,
        ], migrations: false),
        service("media", dependencies: [
            "Infrastructure", "Identity", "AMQP", "Database", "Messaging", "Redis", "Contracts", "MediaProbe",
            "MediaStreaming", "Tus", "FormData", "Transcoding", "ImportKit", subprocess, postgres, nioPosix, nioCore, logging, lifecycle, metrics,
        ]),
        service("social", dependencies: [
            "Infrastructure", "Identity", "Database", "Messaging", "Redis", "Contracts", "Images", "FormData", "ImportKit",
            postgres, nioCore, nioPosix, logging, lifecycle, metrics,
        ]),
        service("notify", dependencies: [
            "Infrastructure", "Identity", "AMQP", "Database", "Messaging", "Redis", "Contracts", "Mail", mustache, postgres,
            nioCore, nioPosix, logging, lifecycle, metrics,
        ], resources: ["Templates"]),

        // Benchmarks (bench/run builds and runs them in release mode).
        .executableTarget(
            name: "OutboxBenchmark",
            dependencies: ["AMQP", "Messaging", "Database", "Contracts", postgres, logging],
            path: "bench/OutboxBenchmark", swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "BcryptTiming", dependencies: [bcrypt, nioPosix],
            path: "bench/auth/BcryptTiming", swiftSettings: swiftSettings
        ),

        // Tests: one target per module, plus the real-infrastructure suites.
        .target(
            name: "TestSupport", dependencies: [postgres, logging, "Database"],
            path: "Tests/TestSupport", swiftSettings: swiftSettings
        ),
        tests("ServiceKitTests", dependencies: [
            "ServiceKit", hummingbird, hummingbirdTesting, logging, metrics, prometheus, configuration,
        ]),
        tests("ContractsTests", dependencies: ["Contracts"]),
        tests("DatabaseTests", dependencies: ["Database", "TestSupport", postgres, logging]),
        tests("AMQPTests", dependencies: ["AMQP", "TestSupport", logging, nioPosix]),
        tests("RedisTests", dependencies: ["Redis", "TestSupport", logging, nioPosix]),
        tests("MediaProbeTests", dependencies: ["MediaProbe", "TestSupport", logging, nioPosix]),
        tests("MailTests", dependencies: ["Mail", "TestSupport", logging, nioPosix]),
        tests("IdentityTests", dependencies: [
            "Identity", "ServiceKit", "TestSupport", jwtKit, crypto, hummingbird, hummingbirdTesting, httpClient, postgres,
            logging, nioCore,
        ]),
        tests("ImagesTests", dependencies: ["Images", "TestSupport", logging]),
        tests("TranscodingTests", dependencies: ["Transcoding", "TestSupport", logging]),
        tests("FormDataTests", dependencies: ["FormData", "ServiceKit", hummingbird, hummingbirdTesting, nioCore, nioPosix]),
        tests("GatewayTests", dependencies: [
            "Gateway", "Identity", "ServiceKit", hummingbird, hummingbirdTesting, httpClient, configuration, logging, nioCore,
            nioHTTP1,
        ]),
        tests("MediaStreamingTests", dependencies: [
            "MediaStreaming", "ServiceKit", "TestSupport", hummingbird, hummingbirdTesting, crypto, nioCore, nioPosix, logging,
        ]),
        tests("TusTests", dependencies: [
            "Tus", "ServiceKit", "TestSupport", hummingbird, hummingbirdTesting, crypto, nioCore, nioPosix, logging,
        ]),
        tests("SocialTests", dependencies: ["Social", "ServiceKit", "Identity"]),
        tests("NotifyTests", dependencies: ["Notify"]),
        tests("MessagingTests", dependencies: [
            "Messaging", "AMQP", "Database", "Contracts", "TestSupport", postgres, logging, nioPosix, lifecycle,
        ]),
    ]
)
