// sluice-cli's command line, parsed in-process: what each option sets, what is refused (exit 2
// with a reason), and the pure helpers parseShard and parseWorkers.
#include <QTemporaryDir>
#include <QTest>
#include <clioptions.h>

using namespace sluice;
using namespace sluice::cli;

namespace {

ParseOutcome parse(const QStringList &arguments)
{
    return parseCommandLine(QStringList{QStringLiteral("sluice-cli")} + arguments);
}

} // namespace

class tst_CliOptions : public QObject
{
    Q_OBJECT

private slots:
    void defaults()
    {
        const ParseOutcome p =
            parse({QStringLiteral("in"), QStringLiteral("-o"), QStringLiteral("out")});
        QCOMPARE(int(p.kind), int(ParseOutcome::Kind::Run));
        const CliOptions &o = p.options;
        QCOMPARE(o.inputs, QStringList{QStringLiteral("in")});
        QCOMPARE(o.output, QStringLiteral("out"));
        QVERIFY(!o.outputIsZip);
        QCOMPARE(o.recipe.targetSize, QSize(1600, 1600));
        QVERIFY(!o.sizeGiven);
        QCOMPARE(o.workers, 0);
        QVERIFY(!o.autoWorkers);
        QCOMPARE(o.retries, DefaultRetries);
        QCOMPARE(o.ratePerSecond, 0.0);
        QCOMPARE(int(o.priority), int(Priority::Normal));
        QVERIFY(o.journal);
        QVERIFY(!o.resume);
        QCOMPARE(o.shardIndex, 0);
        QCOMPARE(o.shardCount, 1);
        QVERIFY(o.recipe.mirrorTree);
        QCOMPARE(int(o.recipe.metadata), int(MetadataPolicy::Keep));
        QCOMPARE(o.recipe.limits.maxPixels, InputLimits().maxPixels);
    }

    void optionsSetTheirFields()
    {
        const ParseOutcome p = parse({QStringLiteral("a"),
                                      QStringLiteral("b.zip"),
                                      QStringLiteral("-o"),
                                      QStringLiteral("web.zip"),
                                      QStringLiteral("--size"),
                                      QStringLiteral("800x600"),
                                      QStringLiteral("--mode"),
                                      QStringLiteral("fill"),
                                      QStringLiteral("--format"),
                                      QStringLiteral("png"),
                                      QStringLiteral("--workers"),
                                      QStringLiteral("auto"),
                                      QStringLiteral("--rate"),
                                      QStringLiteral("2.5"),
                                      QStringLiteral("--retries"),
                                      QStringLiteral("5"),
                                      QStringLiteral("--priority"),
                                      QStringLiteral("high"),
                                      QStringLiteral("--shard"),
                                      QStringLiteral("3/4"),
                                      QStringLiteral("--report"),
                                      QStringLiteral("r.csv"),
                                      QStringLiteral("--flat"),
                                      QStringLiteral("-q"),
                                      QStringLiteral("--metadata"),
                                      QStringLiteral("public"),
                                      QStringLiteral("--max-pixels"),
                                      QStringLiteral("400MP")});
        QCOMPARE(int(p.kind), int(ParseOutcome::Kind::Run));
        const CliOptions &o = p.options;
        QCOMPARE(o.inputs.size(), 2);
        QVERIFY(o.outputIsZip);
        QCOMPARE(o.recipe.targetSize, QSize(800, 600));
        QVERIFY(o.sizeGiven);
        QCOMPARE(int(o.recipe.mode), int(ResizeMode::Fill));
        QCOMPARE(int(o.recipe.format), int(OutputFormat::Png));
        QVERIFY(o.autoWorkers);
        QCOMPARE(o.ratePerSecond, 2.5);
        QCOMPARE(o.retries, 5);
        QCOMPARE(int(o.priority), int(Priority::High));
        QCOMPARE(o.shardIndex, 2);
        QCOMPARE(o.shardCount, 4);
        QVERIFY(o.reportIsCsv);
        QVERIFY(!o.recipe.mirrorTree);
        QVERIFY(o.quiet);
        QCOMPARE(int(o.recipe.metadata), int(MetadataPolicy::Public));
        QCOMPARE(o.recipe.limits.maxPixels, qint64(400'000'000));
    }

    void helpAndVersionExitZero_data()
    {
        QTest::addColumn<QString>("option");
        QTest::newRow("help") << "--help";
        QTest::newRow("version") << "--version";
    }
    void helpAndVersionExitZero()
    {
        QFETCH(QString, option);
        const ParseOutcome p = parse({option});
        QCOMPARE(int(p.kind), int(ParseOutcome::Kind::ExitOk));
        QVERIFY(!p.message.isEmpty());
    }

    void refusals_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("reason");
        const QString in = QStringLiteral("in"), o = QStringLiteral("-o"),
                      out = QStringLiteral("out");
        QTest::newRow("no input") << QStringList{o, out} << "no INPUT";
        QTest::newRow("no output") << QStringList{in} << "no output";
        QTest::newRow("bad size") << QStringList{in, o, out, "--size", "big"} << "--size";
        QTest::newRow("bad mode") << QStringList{in, o, out, "--mode", "zoom"} << "--mode";
        QTest::newRow("bad format") << QStringList{in, o, out, "--format", "bmp"} << "--format";
        QTest::newRow("bad metadata")
            << QStringList{in, o, out, "--metadata", "gps"} << "--metadata";
        QTest::newRow("bad max-pixels")
            << QStringList{in, o, out, "--max-pixels", "-5"} << "--max-pixels";
        QTest::newRow("unknown name token")
            << QStringList{in, o, out, "--name", "{nme}_{w}.{ext}"} << "{nme}";
        QTest::newRow("bad workers") << QStringList{in, o, out, "--workers", "0"} << "--workers";
        QTest::newRow("bad shard") << QStringList{in, o, out, "--shard", "5/4"} << "--shard";
        QTest::newRow("bad report") << QStringList{in, o, out, "--report", "r.txt"} << ".json";
        QTest::newRow("resume without journal")
            << QStringList{in, o, out, "--resume", "--no-journal"} << "--no-journal";
        QTest::newRow("demo with inputs") << QStringList{in, "--demo"} << "--demo";
        QTest::newRow("unknown option") << QStringList{in, o, out, "--frobnicate"} << "frobnicate";
    }
    void refusals()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, reason);
        const ParseOutcome p = parse(arguments);
        QCOMPARE(int(p.kind), int(ParseOutcome::Kind::UsageError));
        QVERIFY2(p.message.contains(reason), qPrintable(p.message));
        QVERIFY(p.message.startsWith(QLatin1String("sluice-cli: ")));
    }

    // Issue 11: options the output format does not use are said once, not ignored in silence.
    void ignoredOptionsAreNoted_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("note"); // empty: none
        QTest::newRow("progressive png") << QStringList{"--format", "png", "--progressive"}
                                         << "--progressive applies to JPEG outputs only";
        QTest::newRow("progressive jpg")
            << QStringList{"--format", "jpg", "--progressive"} << QString();
        QTest::newRow("quality png") << QStringList{"--format", "png", "--quality", "90"}
                                     << "--quality is not used for lossless PNG";
        QTest::newRow("lossless jpg") << QStringList{"--format", "jpg", "--lossless"}
                                      << "--lossless applies to WebP and JPEG XL outputs only";
        QTest::newRow("lossless webp")
            << QStringList{"--format", "webp", "--lossless"} << QString();
        QTest::newRow("lossless jxl") << QStringList{"--format", "jxl", "--lossless"} << QString();
        QTest::newRow("lossless avif") << QStringList{"--format", "avif", "--lossless"}
                                       << "--lossless applies to WebP and JPEG XL outputs only";
        QTest::newRow("quality lossless jxl")
            << QStringList{"--format", "jxl", "--lossless", "--quality", "80"}
            << "--quality is not used for lossless JPEG XL";
        QTest::newRow("effort avif")
            << QStringList{"--format", "avif", "--effort", "8"} << QString();
        QTest::newRow("effort jpg") << QStringList{"--format", "jpg", "--effort", "8"}
                                    << "--effort applies to AVIF and JPEG XL outputs only";
        QTest::newRow("png compression webp")
            << QStringList{"--format", "webp", "--png-compression", "9"}
            << "--png-compression applies to PNG outputs only";
        QTest::newRow("keep says nothing")
            << QStringList{"--progressive", "--lossless"} << QString();
    }
    void ignoredOptionsAreNoted()
    {
        QFETCH(QStringList, extra);
        QFETCH(QString, note);
        const ParseOutcome p = parse(QStringList{"in", "-o", "out"} + extra);
        QCOMPARE(int(p.kind), int(ParseOutcome::Kind::Run));
        if (note.isEmpty()) {
            QVERIFY2(p.options.notes.isEmpty(), qPrintable(p.options.notes.join('|')));
        } else {
            QCOMPARE(p.options.notes.size(), 1);
            QVERIFY2(p.options.notes.first().contains(note), qPrintable(p.options.notes.first()));
        }
    }

    void pngCompressionAndLossless()
    {
        const ParseOutcome p = parse({"in", "-o", "out", "--png-compression", "9", "--lossless"});
        QCOMPARE(p.options.recipe.pngCompression, 9);
        QVERIFY(p.options.recipe.lossless);
        QCOMPARE(parse({"in", "-o", "out"}).options.recipe.pngCompression, 6);
        QCOMPARE(int(parse({"in", "-o", "out", "--png-compression", "10"}).kind),
                 int(ParseOutcome::Kind::UsageError));
        // Both change the output's bytes: they are in the fingerprint, unless default.
        Recipe a, b;
        QCOMPARE(a.fingerprint(), b.fingerprint());
        b.pngCompression = 9;
        QVERIFY(a.fingerprint() != b.fingerprint());
        b = Recipe();
        b.lossless = true;
        QVERIFY(a.fingerprint() != b.fingerprint());
    }

    void effortAndNewFormats()
    {
        const ParseOutcome p = parse({"in", "-o", "out", "--format", "avif", "--effort", "3"});
        QCOMPARE(int(p.kind), int(ParseOutcome::Kind::Run));
        QCOMPARE(int(p.options.recipe.format), int(OutputFormat::Avif));
        QCOMPARE(p.options.recipe.effort, 3);
        QCOMPARE(int(parse({"in", "-o", "out", "--format", "jxl"}).options.recipe.format),
                 int(OutputFormat::Jxl));
        QCOMPARE(parse({"in", "-o", "out"}).options.recipe.effort, 0);
        const ParseOutcome tooMuch = parse({"in", "-o", "out", "--effort", "10"});
        QCOMPARE(int(tooMuch.kind), int(ParseOutcome::Kind::UsageError));
        QVERIFY2(tooMuch.message.contains("--effort"), qPrintable(tooMuch.message));
        // The effort changes the output's bytes: in the fingerprint, unless default.
        Recipe a, b;
        b.effort = 3;
        QVERIFY(a.fingerprint() != b.fingerprint());
    }

    void sharpen()
    {
        QVERIFY(parse({"in", "-o", "out", "--sharpen"}).options.recipe.sharpen);
        QVERIFY(!parse({"in", "-o", "out"}).options.recipe.sharpen);
        // It changes the output's pixels: in the fingerprint when set, and only then (outputs
        // made before the option existed stay up to date).
        Recipe a, b;
        b.sharpen = true;
        QVERIFY(a.fingerprint() != b.fingerprint());
        QCOMPARE(Recipe().fingerprint(), a.fingerprint());
    }

    void outputThatIsAFileIsRefused()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("taken")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        const ParseOutcome p = parse({QStringLiteral("in"), QStringLiteral("-o"), file.fileName()});
        QCOMPARE(int(p.kind), int(ParseOutcome::Kind::UsageError));
        QVERIFY2(p.message.contains(QStringLiteral("is a file")), qPrintable(p.message));
    }

    void shards_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("count");
        QTest::newRow("1/1") << "1/1" << true << 0 << 1;
        QTest::newRow("3/8") << "3/8" << true << 2 << 8;
        QTest::newRow("8/8") << "8/8" << true << 7 << 8;
        QTest::newRow("0/8") << "0/8" << false << 0 << 0;
        QTest::newRow("9/8") << "9/8" << false << 0 << 0;
        QTest::newRow("no slash") << "3" << false << 0 << 0;
        QTest::newRow("too many") << "1/2000000" << false << 0 << 0;
        QTest::newRow("words") << "a/b" << false << 0 << 0;
    }
    void shards()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(int, index);
        QFETCH(int, count);
        int k = -1, n = -1;
        QString error;
        QCOMPARE(parseShard(text, &k, &n, &error), ok);
        QCOMPARE(error.isEmpty(), ok);
        if (ok) {
            QCOMPARE(k, index);
            QCOMPARE(n, count);
        }
    }

    void workers_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<bool>("automatic");
        QTest::addColumn<int>("count");
        QTest::newRow("auto") << "auto" << true << true << 0;
        QTest::newRow("AUTO") << "AUTO" << true << true << 0;
        QTest::newRow("1") << "1" << true << false << 1;
        QTest::newRow("1024") << "1024" << true << false << 1024;
        QTest::newRow("0") << "0" << false << false << 0;
        QTest::newRow("1025") << "1025" << false << false << 0;
        QTest::newRow("many") << "many" << false << false << 0;
    }
    void workers()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(bool, automatic);
        QFETCH(int, count);
        int n = 0;
        bool isAuto = false;
        QString error;
        QCOMPARE(parseWorkers(text, &n, &isAuto, &error), ok);
        if (!ok) {
            QVERIFY(error.contains(QStringLiteral("auto")));
            return;
        }
        QCOMPARE(isAuto, automatic);
        if (!automatic)
            QCOMPARE(n, count);
    }
};

QTEST_GUILESS_MAIN(tst_CliOptions)
#include "tst_clioptions.moc"
