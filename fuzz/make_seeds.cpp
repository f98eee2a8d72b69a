// Writes the fuzzers' seed corpora (fuzzseeds.h) into a folder:
//   make_seeds DIR   ->   DIR/decode/<image seeds>   DIR/zip/<archive seeds>
// Exits non-zero when a seed cannot be made or written, or one is 4 KB or more.
#include "fuzzseeds.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <cstdio>

namespace {

bool writeAll(const QString &dir, const QList<sluice::fuzz::Seed> &seeds)
{
    if (!QDir().mkpath(dir)) {
        std::fprintf(stderr, "make_seeds: cannot create %s\n", qPrintable(dir));
        return false;
    }
    bool ok = true;
    for (const sluice::fuzz::Seed &seed : seeds) {
        const QString path = dir + QLatin1Char('/') + seed.name;
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            file.write(seed.bytes) != seed.bytes.size()) {
            std::fprintf(stderr, "make_seeds: cannot write %s\n", qPrintable(path));
            ok = false;
        }
        if (seed.bytes.size() >= 4096) {
            std::fprintf(stderr, "make_seeds: %s is %lld bytes, not a small seed\n",
                         qPrintable(path), qlonglong(seed.bytes.size()));
            ok = false;
        }
    }
    std::printf("make_seeds: %lld seeds in %s\n", qlonglong(seeds.size()), qPrintable(dir));
    return ok;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv); // image plugins
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_seeds DIR\n");
        return 2;
    }
    const QString root = QString::fromLocal8Bit(argv[1]);
    const bool ok = writeAll(root + QStringLiteral("/decode"), sluice::fuzz::imageSeeds()) &&
                    writeAll(root + QStringLiteral("/zip"), sluice::fuzz::zipSeeds());
    return ok ? 0 : 1;
}
