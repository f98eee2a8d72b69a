// sluice-cli's command line, parsed in-process: what each option sets, what is refused (exit 2
// with a reason), and the pure helpers parseShard and parseWorkers.
#include <QProcessEnvironment>
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
        QTest::newRow("help-all") << "--help-all";
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
        QTest::newRow("shards without auto")
            << QStringList{in, o, out, "--shard", "1/4", "--shards", "4"} << "--shard auto";
        QTest::newRow("shards alone") << QStringList{in, o, out, "--shards", "4"} << "--shard auto";
        QTest::newRow("auto without a scheduler")
            << QStringList{in, o, out, "--shard", "auto"} << "no scheduler";
        QTest::newRow("expect without merge")
            << QStringList{in, o, out, "--expect", in} << "--merge-reports";
        QTest::newRow("merge without reports")
            << QStringList{"--merge-reports", o, "all.json"} << "reports as arguments";
        QTest::newRow("merge a text file")
            << QStringList{"--merge-reports", "a.txt", o, "all.json"} << "a.txt";
        QTest::newRow("merge without -o") << QStringList{"--merge-reports", "a.json"} << "-o";
        QTest::newRow("merge into a folder")
            << QStringList{"--merge-reports", "a.json", o, "out"} << "MERGED.json";
        QTest::newRow("merge over a report")
            << QStringList{"--merge-reports", "a.json", "b.json", o, "./b.json"}
            << "one of the reports";
        QTest::newRow("merge with a shard")
            << QStringList{"--merge-reports", "a.json", o, "all.json", "--shard", "1/2"}
            << "--shard does not go";
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

    // --shard auto reads the scheduler's variables; what it cannot place is refused, with the
    // variables it saw.
    void shardFromEnvironment_data()
    {
        QTest::addColumn<QStringList>("variables");
        QTest::addColumn<int>("shards"); // --shards, 0: not given
        QTest::addColumn<int>("index");  // 0-based; -1: refused
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("said"); // in the origin, or in the refusal
        QTest::newRow("slurm 0-7, task 0")
            << QStringList{"SLURM_ARRAY_TASK_ID=0", "SLURM_ARRAY_TASK_MIN=0",
                           "SLURM_ARRAY_TASK_MAX=7", "SLURM_ARRAY_TASK_COUNT=8"}
            << 0 << 0 << 8 << "Slurm job array (task ID 0)";
        QTest::newRow("slurm 1-4, task 4")
            << QStringList{"SLURM_ARRAY_TASK_ID=4", "SLURM_ARRAY_TASK_MIN=1",
                           "SLURM_ARRAY_TASK_MAX=4", "SLURM_ARRAY_TASK_COUNT=4"}
            << 0 << 3 << 4 << "task ID 4";
        QTest::newRow("slurm 10-20:5, task 15")
            << QStringList{"SLURM_ARRAY_TASK_ID=15", "SLURM_ARRAY_TASK_MIN=10",
                           "SLURM_ARRAY_TASK_MAX=20", "SLURM_ARRAY_TASK_STEP=5",
                           "SLURM_ARRAY_TASK_COUNT=3"}
            << 0 << 1 << 3 << "task ID 15";
        QTest::newRow("slurm with agreeing --shards")
            << QStringList{"SLURM_ARRAY_TASK_ID=2", "SLURM_ARRAY_TASK_MIN=0",
                           "SLURM_ARRAY_TASK_COUNT=4"}
            << 4 << 2 << 4 << "Slurm";
        QTest::newRow("slurm list 1,3,7")
            << QStringList{"SLURM_ARRAY_TASK_ID=7", "SLURM_ARRAY_TASK_MIN=1",
                           "SLURM_ARRAY_TASK_MAX=7", "SLURM_ARRAY_TASK_COUNT=3"}
            << 0 << -1 << 0 << "not a plain range";
        QTest::newRow("slurm list hiding in the middle")
            << QStringList{"SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_MIN=0",
                           "SLURM_ARRAY_TASK_MAX=9", "SLURM_ARRAY_TASK_COUNT=3"}
            << 0 << -1 << 0 << "--array=0-2";
        QTest::newRow("slurm disagreeing --shards")
            << QStringList{"SLURM_ARRAY_TASK_ID=2", "SLURM_ARRAY_TASK_MIN=0",
                           "SLURM_ARRAY_TASK_COUNT=4"}
            << 8 << -1 << 0 << "disagrees";
        QTest::newRow("slurm without count")
            << QStringList{"SLURM_ARRAY_TASK_ID=2", "SLURM_ARRAY_TASK_MIN=0"} << 0 << -1 << 0
            << "SLURM_ARRAY_TASK_ID=2";
        QTest::newRow("slurm garbage")
            << QStringList{"SLURM_ARRAY_TASK_ID=two", "SLURM_ARRAY_TASK_MIN=0",
                           "SLURM_ARRAY_TASK_COUNT=4"}
            << 0 << -1 << 0 << "not numbers";
        QTest::newRow("slurm job, no array")
            << QStringList{"SLURM_JOB_ID=77"} << 0 << -1 << 0 << "not a job array";
        QTest::newRow("kubernetes with --shards")
            << QStringList{"JOB_COMPLETION_INDEX=5"} << 6 << 5 << 6 << "completion index 5";
        QTest::newRow("kubernetes with SLUICE_SHARD_COUNT")
            << QStringList{"JOB_COMPLETION_INDEX=0", "SLUICE_SHARD_COUNT=3"} << 0 << 0 << 3
            << "Kubernetes Indexed Job";
        QTest::newRow("kubernetes, --shards wins")
            << QStringList{"JOB_COMPLETION_INDEX=3", "SLUICE_SHARD_COUNT=2"} << 4 << 3 << 4
            << "Kubernetes";
        QTest::newRow("kubernetes without a count")
            << QStringList{"JOB_COMPLETION_INDEX=0"} << 0 << -1 << 0 << "SLUICE_SHARD_COUNT";
        QTest::newRow("kubernetes index too big")
            << QStringList{"JOB_COMPLETION_INDEX=4", "SLUICE_SHARD_COUNT=4"} << 0 << -1 << 0
            << "not below";
        QTest::newRow("nothing") << QStringList{"HOME=/root"} << 0 << -1 << 0 << "no scheduler";
    }
    void shardFromEnvironment()
    {
        QFETCH(QStringList, variables);
        QFETCH(int, shards);
        QFETCH(int, index);
        QFETCH(int, count);
        QFETCH(QString, said);
        QProcessEnvironment environment;
        for (const QString &v : variables)
            environment.insert(v.section(QLatin1Char('='), 0, 0), v.section(QLatin1Char('='), 1));
        int k = -1, n = -1;
        QString origin, error;
        const bool ok = cli::shardFromEnvironment(environment, shards, &k, &n, &origin, &error);
        QCOMPARE(ok, index >= 0);
        QVERIFY2((ok ? origin : error).contains(said), qPrintable(ok ? origin : error));
        if (ok) {
            QCOMPARE(k, index);
            QCOMPARE(n, count);
        }
    }

    // A sharded run names its ZIP and its report by the shard, so that shards writing into
    // one folder never overwrite one another's; the command line says so in a note.
    void shardAutoNamesItsOwnFiles()
    {
        QProcessEnvironment slurm;
        slurm.insert(QStringLiteral("SLURM_ARRAY_TASK_ID"), QStringLiteral("11"));
        slurm.insert(QStringLiteral("SLURM_ARRAY_TASK_MIN"), QStringLiteral("0"));
        slurm.insert(QStringLiteral("SLURM_ARRAY_TASK_COUNT"), QStringLiteral("12"));
        const ParseOutcome p = parseCommandLine(
            {QStringLiteral("sluice-cli"), QStringLiteral("in"), QStringLiteral("-o"),
             QStringLiteral("/data/web.zip"), QStringLiteral("--shard"), QStringLiteral("auto"),
             QStringLiteral("--report"), QStringLiteral("rep/run.csv")},
            slurm);
        QCOMPARE(int(p.kind), int(ParseOutcome::Kind::Run));
        QCOMPARE(p.options.shardIndex, 11);
        QCOMPARE(p.options.shardCount, 12);
        QCOMPARE(p.options.output, QStringLiteral("/data/web-shard-12-of-12.zip"));
        QVERIFY(p.options.outputIsZip);
        QCOMPARE(p.options.reportPath, QStringLiteral("rep/run-shard-12-of-12.csv"));
        const QString notes = p.options.notes.join(QLatin1Char('\n'));
        QVERIFY2(notes.contains(QStringLiteral("shard 12 of 12, from the Slurm")),
                 qPrintable(notes));
        QVERIFY2(notes.contains(QStringLiteral("archive of its own")), qPrintable(notes));

        // One shard of one: nothing renamed. A folder output is shared by the shards.
        const ParseOutcome one =
            parse({QStringLiteral("in"), QStringLiteral("-o"), QStringLiteral("web.zip"),
                   QStringLiteral("--shard"), QStringLiteral("1/1"), QStringLiteral("--report"),
                   QStringLiteral("r.json")});
        QCOMPARE(one.options.output, QStringLiteral("web.zip"));
        QCOMPARE(one.options.reportPath, QStringLiteral("r.json"));
        const ParseOutcome folder =
            parse({QStringLiteral("in"), QStringLiteral("-o"), QStringLiteral("web"),
                   QStringLiteral("--shard"), QStringLiteral("2/3")});
        QCOMPARE(folder.options.output, QStringLiteral("web"));
    }

    void shardFileName_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("named");
        QTest::newRow("zip") << "web.zip" << 2 << 8 << "web-shard-3-of-8.zip";
        QTest::newRow("padded") << "a/b/r.json" << 0 << 12 << "a/b/r-shard-01-of-12.json";
        QTest::newRow("dots in the folder")
            << "/x.y/r.v2.csv" << 99 << 100 << "/x.y/r.v2-shard-100-of-100.csv";
        QTest::newRow("no suffix") << "report" << 1 << 2 << "report-shard-2-of-2";
    }
    void shardFileName()
    {
        QFETCH(QString, path);
        QFETCH(int, index);
        QFETCH(int, count);
        QFETCH(QString, named);
        QCOMPARE(cli::shardFileName(path, index, count), named);
    }

    void mergeReportsOptions()
    {
        const ParseOutcome p =
            parse({QStringLiteral("--merge-reports"), QStringLiteral("a.json"),
                   QStringLiteral("b.csv"), QStringLiteral("-o"), QStringLiteral("all.csv"),
                   QStringLiteral("--expect"), QStringLiteral("photos"), QStringLiteral("--expect"),
                   QStringLiteral("x.zip"), QStringLiteral("--hidden")});
        QCOMPARE(int(p.kind), int(ParseOutcome::Kind::Run));
        QVERIFY(p.options.mergeReports);
        QCOMPARE(p.options.inputs,
                 QStringList({QStringLiteral("a.json"), QStringLiteral("b.csv")}));
        QCOMPARE(p.options.output, QStringLiteral("all.csv"));
        QCOMPARE(p.options.expectedInputs,
                 QStringList({QStringLiteral("photos"), QStringLiteral("x.zip")}));
        QVERIFY(p.options.includeHidden);
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
