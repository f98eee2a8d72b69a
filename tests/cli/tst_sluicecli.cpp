// End-to-end tests of sluice-cli: QProcess runs the built binary (SLUICE_CLI_PATH) on images
// made in a QTemporaryDir, and the tests check exit codes, outputs and reports.
#include "testimages.h"

#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <report.h>

using namespace testimages;

namespace {

// ms: for what must happen (a run ending, an output appearing). The waits return as soon as it
// has, so this only bounds how long a failing test takes; generous for a loaded machine under a
// sanitizer.
constexpr int Patience = 120000;

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runCli(const QStringList &arguments, int timeoutMs = Patience,
           const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(SLUICE_CLI_PATH), arguments);
    Run run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        run.err = QStringLiteral("timed out");
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = QString::fromLocal8Bit(process.readAllStandardOutput());
    run.err = QString::fromLocal8Bit(process.readAllStandardError());
    return run;
}

QSize imageSize(const QString &path)
{
    return QImageReader(path).size();
}

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QList<QStringList> readCsv(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return sluice::cli::parseCsv(QString::fromUtf8(file.readAll()));
}

QStringList reportPaths(const QJsonObject &report)
{
    QStringList paths;
    for (const QJsonValue &item : report.value(QStringLiteral("items")).toArray())
        paths << item.toObject().value(QStringLiteral("relativePath")).toString();
    paths.sort();
    return paths;
}

} // namespace

class tst_SluiceCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void helpAndVersionExitZero();
    void smallFolderExitsZero();
    void rerunSkipsUpToDateOutputs();
    void corruptInputFailsTheRestIsProcessed();
    void decoderWarningsStayOffTheTerminal();
    void badOptionsExitTwo_data();
    void badOptionsExitTwo();
    void interruptStopsGracefully_data();
    void interruptStopsGracefully();
    void jsonReportContents();
    void csvReportContents();
    void shardsCoverEveryInputOnce();
    void shardAutoReportsMergeIntoOne();
    void reportFolderIsMadeAndAnUnwritableReportFails();
    void shardsIntoAZipWriteOneArchiveEach();
    void zipInFolderOut();
    void folderInZipOut();
    void demoRunsAndExitsZero();

    // The journal: kill -9, crashes, poison inputs, a full disk.
    void killedThreeTimesThenResumed();
    void poisonInputIsQuarantined();
    void resumeWithOtherSettingsIsRefused();
    void secondProcessOnTheSameJobIsRefused();
    void fullDiskPausesThenGoesOn();
    void controlCharactersInNamesAreEscaped();

private:
    QString path(const QString &relative) const { return m_dir->filePath(relative); }
    void writeJpegs(const QString &folder, int count, QSize size);

    // Outputs of `folder` (relative to the temporary dir) and what is wrong with them: names
    // that are not an input's, numbered duplicates, temporary files, undecodable images.
    QStringList outputProblems(const QString &folder, const QSet<QString> &inputNames,
                               QSize expected) const;
    QString journalFolder() const { return m_data->filePath(QStringLiteral("sluice/journals")); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QTemporaryDir> m_data; // XDG_DATA_HOME of the runs: their journals
};

void tst_SluiceCli::initTestCase()
{
    QVERIFY2(QFileInfo::exists(QStringLiteral(SLUICE_CLI_PATH)), SLUICE_CLI_PATH);
}

void tst_SluiceCli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // Journals go to $XDG_DATA_HOME/sluice/journals: one fresh place per test, never the
    // user's own.
    m_data = std::make_unique<QTemporaryDir>();
    QVERIFY(m_data->isValid());
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_data->path()));
    qunsetenv("SLUICE_FAILPOINTS");
}

void tst_SluiceCli::cleanup()
{
    qunsetenv("SLUICE_FAILPOINTS");
    m_dir.reset();
    m_data.reset();
}

QStringList tst_SluiceCli::outputProblems(const QString &folder, const QSet<QString> &inputNames,
                                          QSize expected) const
{
    QStringList problems;
    for (const QString &file : listFiles(path(folder))) {
        if (!inputNames.contains(file))
            problems << QStringLiteral("unexpected file %1").arg(file);
        else if (QImageReader(path(folder + QLatin1Char('/') + file)).size() != expected)
            problems << QStringLiteral("does not decode to the expected size: %1").arg(file);
    }
    return problems;
}

void tst_SluiceCli::writeJpegs(const QString &folder, int count, QSize size)
{
    const QByteArray jpeg = encode(quadrants(size), "jpeg", 90);
    for (int i = 0; i < count; ++i)
        QVERIFY(
            !writeFile(path(QStringLiteral("%1/img%2.jpg").arg(folder).arg(i)), jpeg).isEmpty());
}

void tst_SluiceCli::helpAndVersionExitZero()
{
    const Run help = runCli({QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains(QStringLiteral("--shard")));
    QVERIFY(help.out.contains(QStringLiteral("journal")));
    const Run version = runCli({QStringLiteral("--version")});
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.startsWith(QStringLiteral("sluice-cli ")));
}

void tst_SluiceCli::smallFolderExitsZero()
{
    writeJpegs(QStringLiteral("in"), 3, QSize(800, 600));
    writeImage(path(QStringLiteral("in/deep/square.png")), QSize(400, 400), "png");
    const Run run =
        runCli({path(QStringLiteral("in")), QStringLiteral("-o"), path(QStringLiteral("out")),
                QStringLiteral("--size"), QStringLiteral("200")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(imageSize(path(QStringLiteral("out/in/img%1.jpg").arg(i))), QSize(200, 150));
    QCOMPARE(imageSize(path(QStringLiteral("out/in/deep/square.png"))), QSize(200, 200));
    QVERIFY(run.err.contains(QStringLiteral("4 done")));
}

// Issue 11: libjpeg's "Corrupt JPEG data" (through Qt) does not reach the terminal, with or
// without -q; SLUICE_IMAGE_WARNINGS=1 lets it through.
void tst_SluiceCli::decoderWarningsStayOffTheTerminal()
{
    QByteArray jpeg = encode(quadrants(QSize(400, 300)), "jpeg", 90);
    const qsizetype scan = jpeg.indexOf("\xFF\xDA");
    for (qsizetype i = scan + 200; i < scan + 400 && i < jpeg.size() - 2; i += 7)
        jpeg[i] = 0x5a; // damaged entropy-coded data, the end marker intact
    QVERIFY(!writeFile(path(QStringLiteral("in/damaged.jpg")), jpeg).isEmpty());
    const QStringList args = {path(QStringLiteral("in")),  QStringLiteral("-o"),
                              path(QStringLiteral("out")), QStringLiteral("--size"),
                              QStringLiteral("100"),       QStringLiteral("--no-journal")};
    const Run run = runCli(args);
    QVERIFY2(!run.err.contains(QLatin1String("JPEG data")), qPrintable(run.err));
    QVERIFY(run.err.contains(QLatin1String("sluice-cli: ")));
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("SLUICE_IMAGE_WARNINGS"), QStringLiteral("1"));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(SLUICE_CLI_PATH),
                  args + QStringList{QStringLiteral("--on-conflict"), QStringLiteral("overwrite")});
    QVERIFY(process.waitForFinished(Patience));
    QVERIFY(QString::fromLocal8Bit(process.readAllStandardError())
                .contains(QLatin1String("Corrupt JPEG data")));
}

void tst_SluiceCli::rerunSkipsUpToDateOutputs()
{
    writeJpegs(QStringLiteral("in"), 3, QSize(640, 480));
    const QStringList args = {path(QStringLiteral("in")),  QStringLiteral("-o"),
                              path(QStringLiteral("out")), QStringLiteral("--size"),
                              QStringLiteral("100"),       QStringLiteral("--format"),
                              QStringLiteral("jpg")};
    QCOMPARE(runCli(args).exitCode, 0);
    const Run again = runCli(args + QStringList{QStringLiteral("--resume")});
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    QVERIFY2(again.err.contains(QStringLiteral("0 done, 3 skipped")), qPrintable(again.err));
    QCOMPARE(listFiles(path(QStringLiteral("out/in"))).size(), 3);
}

void tst_SluiceCli::corruptInputFailsTheRestIsProcessed()
{
    writeJpegs(QStringLiteral("in"), 3, QSize(400, 300));
    const QByteArray jpeg = encode(quadrants(QSize(400, 300)), "jpeg", 90);
    writeFile(path(QStringLiteral("in/broken.jpg")), jpeg.left(jpeg.size() / 2));
    const QString report = path(QStringLiteral("report.json"));
    const Run run = runCli({path(QStringLiteral("in")), QStringLiteral("-o"),
                            path(QStringLiteral("out")), QStringLiteral("--size"),
                            QStringLiteral("100"), QStringLiteral("--report"), report});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.err.contains(QStringLiteral("broken.jpg")));
    for (int i = 0; i < 3; ++i)
        QVERIFY(QFileInfo::exists(path(QStringLiteral("out/in/img%1.jpg").arg(i))));
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("out/in/broken.jpg"))));

    const QJsonArray items = readJson(report).value(QStringLiteral("items")).toArray();
    QCOMPARE(items.size(), 4);
    int failed = 0;
    for (const QJsonValue &value : items) {
        const QJsonObject item = value.toObject();
        if (item.value(QStringLiteral("status")).toString() != QLatin1String("failed"))
            continue;
        ++failed;
        QVERIFY(
            item.value(QStringLiteral("source")).toString().endsWith(QLatin1String("broken.jpg")));
        QVERIFY(!item.value(QStringLiteral("error")).toString().isEmpty());
        QCOMPARE(item.value(QStringLiteral("attempts")).toInt(), 1); // permanent: never retried
    }
    QCOMPARE(failed, 1);
}

void tst_SluiceCli::badOptionsExitTwo_data()
{
    QTest::addColumn<QStringList>("arguments");
    const QString in = QStringLiteral("IN"), out = QStringLiteral("OUT");
    QTest::newRow("size 0") << QStringList{in, "-o", out, "--size", "0"};
    QTest::newRow("size junk") << QStringList{in, "-o", out, "--size", "big"};
    QTest::newRow("mode nope") << QStringList{in, "-o", out, "--mode", "nope"};
    QTest::newRow("format gif") << QStringList{in, "-o", out, "--format", "gif"};
    QTest::newRow("quality 101") << QStringList{in, "-o", out, "--quality", "101"};
    QTest::newRow("shard 3/2") << QStringList{in, "-o", out, "--shard", "3/2"};
    QTest::newRow("shard 0/2") << QStringList{in, "-o", out, "--shard", "0/2"};
    QTest::newRow("workers 0") << QStringList{in, "-o", out, "--workers", "0"};
    QTest::newRow("rate -1") << QStringList{in, "-o", out, "--rate", "-1"};
    QTest::newRow("retries x") << QStringList{in, "-o", out, "--retries", "x"};
    QTest::newRow("priority urgent") << QStringList{in, "-o", out, "--priority", "urgent"};
    QTest::newRow("on-conflict ask") << QStringList{in, "-o", out, "--on-conflict", "ask"};
    QTest::newRow("report txt") << QStringList{in, "-o", out, "--report", "r.txt"};
    QTest::newRow("unknown option") << QStringList{in, "-o", out, "--frobnicate"};
    QTest::newRow("missing -o") << QStringList{in};
    QTest::newRow("no inputs") << QStringList{"-o", out};
    QTest::newRow("demo with inputs") << QStringList{"--demo", in, "-o", out};
}

void tst_SluiceCli::badOptionsExitTwo()
{
    QFETCH(QStringList, arguments);
    for (QString &argument : arguments) {
        if (argument == QLatin1String("IN") || argument == QLatin1String("OUT"))
            argument = path(argument.toLower());
    }
    writeJpegs(QStringLiteral("in"), 1, QSize(64, 64));
    const Run run = runCli(arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.err.startsWith(QStringLiteral("sluice-cli: ")));
    QVERIFY(run.err.contains(QStringLiteral("--help")));
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("out"))));
}

void tst_SluiceCli::interruptStopsGracefully_data()
{
    QTest::addColumn<QString>("output");
    QTest::newRow("folder") << QStringLiteral("out");
    QTest::newRow("zip") << QStringLiteral("out.zip");
}

// Many inputs at 2 images/s: still running when SIGTERM comes. The test waits for the CLI's
// progress line (every 2 s when stderr is no terminal) to report processed images: then the
// run is under way and its signal handler installed, and at 2 images/s the 60 inputs take half
// a minute, however slowly the machine got there. (A fixed wait could send SIGTERM before the
// handler exists, killing the CLI instead.)
void tst_SluiceCli::interruptStopsGracefully()
{
    QFETCH(QString, output);
    writeJpegs(QStringLiteral("in"), 60, QSize(640, 480));
    const QString report = path(QStringLiteral("report.json"));
    QProcess process;
    process.start(QStringLiteral(SLUICE_CLI_PATH),
                  {path(QStringLiteral("in")), QStringLiteral("-o"), path(output),
                   QStringLiteral("--size"), QStringLiteral("64"), QStringLiteral("--rate"),
                   QStringLiteral("2"), QStringLiteral("--report"), report});
    QVERIFY(process.waitForStarted());
    const QRegularExpression processed(
        QStringLiteral("sluice-cli: [1-9][0-9]*/[0-9]+\\+? processed"));
    QString err;
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     err += QString::fromLocal8Bit(process.readAllStandardError());
                     return err.contains(processed) || process.state() != QProcess::Running;
                 },
                 Patience),
             qPrintable(err));
    QVERIFY2(process.state() == QProcess::Running, qPrintable(err));
    process.terminate();
    QVERIFY(process.waitForFinished(Patience));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 3);

    const QJsonObject json = readJson(report);
    const QJsonObject summary = json.value(QStringLiteral("summary")).toObject();
    QVERIFY(summary.value(QStringLiteral("interrupted")).toBool());
    QVERIFY(summary.value(QStringLiteral("canceled")).toInt() > 0);
    QCOMPARE(summary.value(QStringLiteral("exitCode")).toInt(), 3);

    // No temporary or partial file anywhere: only whole outputs (or nothing, for a ZIP).
    const QStringList left = listFiles(m_dir->path());
    for (const QString &file : left) {
        if (file.startsWith(QLatin1String("in/")) || file == QLatin1String("report.json"))
            continue;
        QVERIFY2(output == QLatin1String("out") && file.startsWith(QLatin1String("out/in/img")) &&
                     file.endsWith(QLatin1String(".jpg")),
                 qPrintable(file));
        QCOMPARE(imageSize(path(file)), QSize(64, 48));
    }
}

void tst_SluiceCli::jsonReportContents()
{
    writeJpegs(QStringLiteral("in"), 2, QSize(300, 200));
    writeFile(path(QStringLiteral("in/readme.txt")), "not an image\n");
    const QString report = path(QStringLiteral("r.json"));
    const Run run = runCli({path(QStringLiteral("in")), QStringLiteral("-o"),
                            path(QStringLiteral("out")), QStringLiteral("--size"),
                            QStringLiteral("150"), QStringLiteral("--report"), report});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject json = readJson(report);
    const QJsonArray items = json.value(QStringLiteral("items")).toArray();
    QCOMPARE(items.size(), 3);
    for (const QJsonValue &value : items) {
        const QJsonObject item = value.toObject();
        const QString status = item.value(QStringLiteral("status")).toString();
        if (item.value(QStringLiteral("relativePath")).toString() ==
            QLatin1String("in/readme.txt")) {
            QCOMPARE(status, QStringLiteral("skipped"));
            QCOMPARE(item.value(QStringLiteral("skipReason")).toString(),
                     QStringLiteral("not an image"));
            continue;
        }
        QCOMPARE(status, QStringLiteral("done"));
        QCOMPARE(item.value(QStringLiteral("attempts")).toInt(), 1);
        QCOMPARE(item.value(QStringLiteral("inputWidth")).toInt(), 300);
        QCOMPARE(item.value(QStringLiteral("inputHeight")).toInt(), 200);
        QCOMPARE(item.value(QStringLiteral("outputWidth")).toInt(), 150);
        QCOMPARE(item.value(QStringLiteral("outputHeight")).toInt(), 100);
        QVERIFY(item.value(QStringLiteral("ms")).toInt(-1) >= 0);
        QVERIFY(QFileInfo::exists(item.value(QStringLiteral("output")).toString()));
        QVERIFY(item.value(QStringLiteral("error")).isNull());
    }
    const QJsonObject summary = json.value(QStringLiteral("summary")).toObject();
    QCOMPARE(summary.value(QStringLiteral("total")).toInt(), 3);
    QCOMPARE(summary.value(QStringLiteral("done")).toInt(), 2);
    QCOMPARE(summary.value(QStringLiteral("skipped")).toInt(), 1);
    QCOMPARE(summary.value(QStringLiteral("exitCode")).toInt(), 0);
}

void tst_SluiceCli::csvReportContents()
{
    const QByteArray jpeg = encode(quadrants(QSize(120, 80)), "jpeg", 90);
    writeFile(path(QStringLiteral("in/plain.jpg")), jpeg);
    writeFile(path(QStringLiteral("in/comma, \"quoted\".jpg")), jpeg);
    writeFile(path(QStringLiteral("in/cut.jpg")), jpeg.left(jpeg.size() / 2));
    const QString report = path(QStringLiteral("r.csv"));
    const Run run = runCli({path(QStringLiteral("in")), QStringLiteral("-o"),
                            path(QStringLiteral("out")), QStringLiteral("--size"),
                            QStringLiteral("60"), QStringLiteral("--report"), report});
    QCOMPARE(run.exitCode, 1);
    const QList<QStringList> rows = readCsv(report);
    QCOMPARE(rows.size(), 4);
    const QStringList header = rows[0];
    QCOMPARE(header.first(), QStringLiteral("source"));
    const int relative = header.indexOf(QStringLiteral("relative_path"));
    const int status = header.indexOf(QStringLiteral("status"));
    const int error = header.indexOf(QStringLiteral("error"));
    const int width = header.indexOf(QStringLiteral("output_width"));
    QVERIFY(relative >= 0 && status >= 0 && error >= 0 && width >= 0);
    QSet<QString> seen;
    for (const QStringList &row : rows.mid(1)) {
        QCOMPARE(row.size(), header.size());
        seen << row[relative];
        if (row[relative] == QLatin1String("in/cut.jpg")) {
            QCOMPARE(row[status], QStringLiteral("failed"));
            QVERIFY(!row[error].isEmpty());
        } else {
            QCOMPARE(row[status], QStringLiteral("done"));
            QCOMPARE(row[width], QStringLiteral("60"));
        }
    }
    QVERIFY(seen.contains(QStringLiteral("in/comma, \"quoted\".jpg")));
}

void tst_SluiceCli::shardsCoverEveryInputOnce()
{
    writeJpegs(QStringLiteral("in"), 24, QSize(64, 48));
    QStringList all;
    QSet<QString> seen;
    for (const QString &shard : {QStringLiteral("1/2"), QStringLiteral("2/2")}) {
        const Run run = runCli({path(QStringLiteral("in")), QStringLiteral("-o"),
                                path(QStringLiteral("out")), QStringLiteral("--shard"), shard,
                                QStringLiteral("--report"), path(QStringLiteral("r.json"))});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // Each shard's own report, named by the shard.
        const QString report = path(QStringLiteral("r-shard-%1-of-2.json").arg(shard.left(1)));
        const QStringList paths = reportPaths(readJson(report));
        QVERIFY2(!paths.isEmpty() && paths.size() < 24, qPrintable(shard));
        for (const QString &p : paths) {
            QVERIFY2(!seen.contains(p), qPrintable(p));
            seen << p;
        }
    }
    QCOMPARE(seen.size(), 24);
    QCOMPARE(listFiles(path(QStringLiteral("out/in"))).size(), 24);
}

// Issue 15: --shard auto in a Kubernetes Indexed Job (the simplest scheduler to imitate: one
// variable), one report per shard by name, joined by --merge-reports, which sees every input
// once, and says so when a shard's report is missing or a report is given twice.
void tst_SluiceCli::shardAutoReportsMergeIntoOne()
{
    writeJpegs(QStringLiteral("in"), 18, QSize(64, 48));
    const QString report = path(QStringLiteral("reports/run.json"));
    QDir().mkpath(path(QStringLiteral("reports")));
    for (int k = 0; k < 3; ++k) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("JOB_COMPLETION_INDEX"), QString::number(k));
        env.insert(QStringLiteral("SLUICE_SHARD_COUNT"), QStringLiteral("3"));
        const Run run = runCli({path(QStringLiteral("in")), QStringLiteral("-o"),
                                path(QStringLiteral("out")), QStringLiteral("--shard"),
                                QStringLiteral("auto"), QStringLiteral("--report"), report},
                               Patience, env);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.err.contains(QStringLiteral("shard %1 of 3, from the Kubernetes").arg(k + 1)),
                 qPrintable(run.err));
    }
    QVERIFY(!QFileInfo::exists(report)); // each shard named its own
    const QStringList shardReports = {path(QStringLiteral("reports/run-shard-1-of-3.json")),
                                      path(QStringLiteral("reports/run-shard-2-of-3.json")),
                                      path(QStringLiteral("reports/run-shard-3-of-3.json"))};
    const QJsonObject second = readJson(shardReports[1]);
    QCOMPARE(second.value(QStringLiteral("summary"))
                 .toObject()
                 .value(QStringLiteral("shard"))
                 .toObject()
                 .value(QStringLiteral("index"))
                 .toInt(),
             2);

    const QString merged = path(QStringLiteral("all.json"));
    // Given in any order: the merge puts them in shard order.
    const Run merge = runCli({QStringLiteral("--merge-reports"), shardReports[2], shardReports[0],
                              shardReports[1], QStringLiteral("-o"), merged,
                              QStringLiteral("--expect"), path(QStringLiteral("in"))});
    QVERIFY2(merge.exitCode == 0, qPrintable(merge.err));
    QVERIFY2(merge.err.contains(QStringLiteral("18 inputs, 18 done")), qPrintable(merge.err));
    QVERIFY2(merge.err.contains(QStringLiteral("every input in exactly one report")),
             qPrintable(merge.err));
    const QJsonObject all = readJson(merged);
    QStringList paths = reportPaths(all);
    QCOMPARE(paths.size(), 18);
    paths.removeDuplicates();
    QCOMPARE(paths.size(), 18);
    const QJsonArray items = all.value(QStringLiteral("items")).toArray();
    QCOMPARE(items.first().toObject().value(QStringLiteral("shard")).toString(),
             QStringLiteral("1/3"));
    QCOMPARE(items.last().toObject().value(QStringLiteral("shard")).toString(),
             QStringLiteral("3/3"));
    const QJsonObject summary = all.value(QStringLiteral("summary")).toObject();
    QCOMPARE(summary.value(QStringLiteral("done")).toInt(), 18);
    QCOMPARE(
        summary.value(QStringLiteral("merge")).toObject().value(QStringLiteral("shards")).toInt(),
        3);

    // A shard's report missing: the merge is written, says which shard and which inputs.
    const Run partial = runCli({QStringLiteral("--merge-reports"), shardReports[0], shardReports[2],
                                QStringLiteral("-o"), path(QStringLiteral("partial.csv")),
                                QStringLiteral("--expect"), path(QStringLiteral("in"))});
    QCOMPARE(partial.exitCode, 1);
    QVERIFY2(partial.err.contains(QStringLiteral("no report of shard: 2/3")),
             qPrintable(partial.err));
    QVERIFY2(partial.err.contains(QStringLiteral("in no report: in/")), qPrintable(partial.err));
    const QList<QStringList> rows = readCsv(path(QStringLiteral("partial.csv")));
    QCOMPARE(rows.first().last(), QStringLiteral("shard"));
    QCOMPARE(rows.size() - 1, 18 - reportPaths(second).size());

    // The same input in two reports (here: an unsharded run beside the shards).
    const Run whole =
        runCli({path(QStringLiteral("in")), QStringLiteral("-o"), path(QStringLiteral("out2")),
                QStringLiteral("--report"), path(QStringLiteral("whole.json"))});
    QCOMPARE(whole.exitCode, 0);
    const Run twice = runCli({QStringLiteral("--merge-reports"), shardReports[0],
                              path(QStringLiteral("whole.json")), QStringLiteral("-o"),
                              path(QStringLiteral("twice.json"))});
    QCOMPARE(twice.exitCode, 1);
    QVERIFY2(twice.err.contains(QStringLiteral("in two reports: in/")), qPrintable(twice.err));
    QVERIFY2(twice.err.contains(QStringLiteral("shard 1/3 (run-shard-1-of-3.json) and whole.json")),
             qPrintable(twice.err));

    // One shard's report given twice cannot be joined at all.
    const Run same = runCli({QStringLiteral("--merge-reports"), shardReports[0], shardReports[0],
                             QStringLiteral("-o"), path(QStringLiteral("same.json"))});
    QCOMPARE(same.exitCode, 2);
    QVERIFY2(same.err.contains(QStringLiteral("two reports of shard 1/3")), qPrintable(same.err));
}

// A report into a folder not made yet is written (shards often name a fresh one); one that
// cannot be written at all makes the run fail, so that a script does not take it for success.
void tst_SluiceCli::reportFolderIsMadeAndAnUnwritableReportFails()
{
    writeJpegs(QStringLiteral("in"), 2, QSize(64, 48));
    const Run fresh =
        runCli({path(QStringLiteral("in")), QStringLiteral("-o"), path(QStringLiteral("out")),
                QStringLiteral("--report"), path(QStringLiteral("new/folder/r.json"))});
    QVERIFY2(fresh.exitCode == 0, qPrintable(fresh.err));
    QCOMPARE(reportPaths(readJson(path(QStringLiteral("new/folder/r.json")))).size(), 2);

    QFile blocker(path(QStringLiteral("afile")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const Run blocked =
        runCli({path(QStringLiteral("in")), QStringLiteral("-o"), path(QStringLiteral("out2")),
                QStringLiteral("--report"), path(QStringLiteral("afile/r.json"))});
    QCOMPARE(blocked.exitCode, 1);
    QVERIFY2(blocked.err.contains(QStringLiteral("cannot write the report")),
             qPrintable(blocked.err));
}

// Shards cannot share one archive: each writes its own, named by the shard.
void tst_SluiceCli::shardsIntoAZipWriteOneArchiveEach()
{
    writeJpegs(QStringLiteral("in"), 10, QSize(64, 48));
    qsizetype entries = 0;
    for (const QString &shard : {QStringLiteral("1/2"), QStringLiteral("2/2")}) {
        const Run run = runCli({path(QStringLiteral("in")), QStringLiteral("-o"),
                                path(QStringLiteral("web.zip")), QStringLiteral("--shard"), shard});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QString archive = path(QStringLiteral("web-shard-%1-of-2.zip").arg(shard.left(1)));
        QVERIFY2(run.err.contains(QStringLiteral("archive of its own: ") + archive),
                 qPrintable(run.err));
        const QStringList names = zipEntryNames(archive);
        QVERIFY2(!names.isEmpty() && names.size() < 10, qPrintable(names.join(' ')));
        entries += names.size();
    }
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("web.zip"))));
    QCOMPARE(entries, 10);
}

void tst_SluiceCli::zipInFolderOut()
{
    const QByteArray jpeg = encode(quadrants(QSize(400, 200)), "jpeg", 90);
    const QByteArray png = encode(quadrants(QSize(100, 100)), "png");
    QVERIFY(writeZip(path(QStringLiteral("supplier.zip")),
                     {{QStringLiteral("a.jpg"), jpeg}, {QStringLiteral("sub/b.png"), png}}));
    const Run run =
        runCli({path(QStringLiteral("supplier.zip")), QStringLiteral("-o"),
                path(QStringLiteral("out")), QStringLiteral("--size"), QStringLiteral("50"),
                QStringLiteral("--format"), QStringLiteral("jpg")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(listFiles(path(QStringLiteral("out"))),
             QStringList({QStringLiteral("supplier/a.jpg"), QStringLiteral("supplier/sub/b.jpg")}));
    QCOMPARE(imageSize(path(QStringLiteral("out/supplier/a.jpg"))), QSize(50, 25));
}

void tst_SluiceCli::folderInZipOut()
{
    writeJpegs(QStringLiteral("in"), 2, QSize(200, 100));
    writeJpegs(QStringLiteral("in/sub"), 1, QSize(200, 100));
    const QString zip = path(QStringLiteral("result.zip"));
    const Run run = runCli({path(QStringLiteral("in")), QStringLiteral("-o"), zip,
                            QStringLiteral("--size"), QStringLiteral("40")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(zipEntryNames(zip),
             QStringList({QStringLiteral("in/img0.jpg"), QStringLiteral("in/img1.jpg"),
                          QStringLiteral("in/sub/img0.jpg")}));
    QImage image;
    QVERIFY(image.loadFromData(zipEntryData(zip, QStringLiteral("in/sub/img0.jpg"))));
    QCOMPARE(image.size(), QSize(40, 20));
    QVERIFY(!QFileInfo::exists(zip + QStringLiteral(".part")));
}

void tst_SluiceCli::demoRunsAndExitsZero()
{
    const Run run = runCli({QStringLiteral("--demo"), QStringLiteral("-o"),
                            path(QStringLiteral("demo")), QStringLiteral("--quiet")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(run.out.contains(path(QStringLiteral("demo"))));
    const QStringList files = listFiles(path(QStringLiteral("demo/samples")));
    QVERIFY2(files.size() >= 5, qPrintable(files.join(QLatin1Char(' '))));
    QVERIFY(files.contains(QStringLiteral("logo-transparent.png")));
    for (const QString &file : files)
        QVERIFY(qMax(imageSize(path(QStringLiteral("demo/samples/") + file)).width(),
                     imageSize(path(QStringLiteral("demo/samples/") + file)).height()) == 640);
}

// The kill test: N inputs, sluice-cli killed (SIGKILL) at a random point three times in a row,
// then resumed to the end. Every output exists once, decodes, and nothing else is left.
// Each round kills once a random number of new outputs exist, at most a third of what is left
// plus two: some 20 inputs or more remain then, a second of work at 20 images/s (the rate
// limit keeps the CLI from going faster however idle the machine), so the test has that long
// to kill it mid-run; it needs milliseconds, and a loaded machine only slows the CLI down.
void tst_SluiceCli::killedThreeTimesThenResumed()
{
    constexpr int N = 90;
    writeJpegs(QStringLiteral("in"), N, QSize(640, 480));
    QSet<QString> names;
    for (int i = 0; i < N; ++i)
        names.insert(QStringLiteral("img%1.jpg").arg(i));
    const QString out = path(QStringLiteral("out"));
    const QStringList args = {
        path(QStringLiteral("in")), QStringLiteral("-o"),     out,
        QStringLiteral("--size"),   QStringLiteral("64"),     QStringLiteral("--rate"),
        QStringLiteral("20"),       QStringLiteral("--quiet")};
    const quint32 seed = QRandomGenerator::global()->generate();
    qInfo("kill points from seed %u", seed);
    QRandomGenerator random(seed);
    auto outputs = [&] {
        return int(listFiles(out).size());
    };
    for (int round = 0; round < 3; ++round) {
        const int before = outputs();
        const int target = before + 2 + int(random.bounded(quint32((N - before) / 3)));
        QProcess process;
        process.start(QStringLiteral(SLUICE_CLI_PATH),
                      round == 0 ? args : args + QStringList{QStringLiteral("--resume")});
        QVERIFY(process.waitForStarted());
        QVERIFY2(QTest::qWaitFor([&] { return outputs() >= target; }, Patience),
                 qPrintable(QStringLiteral("round %1: %2 outputs").arg(round).arg(outputs())));
        QCOMPARE(process.state(), QProcess::Running);
        process.kill(); // SIGKILL: no handler runs, no "end" record
        QVERIFY(process.waitForFinished(Patience));
        QCOMPARE(process.exitStatus(), QProcess::CrashExit);
        qInfo("round %d: killed with %d of %d outputs written", round + 1, outputs(), N);
        QVERIFY(outputs() < N);
    }
    QCOMPARE(QDir(journalFolder()).entryList({QStringLiteral("*.journal")}).size(), 1);

    const QString report = path(QStringLiteral("report.json"));
    const Run last =
        runCli(args + QStringList{QStringLiteral("--resume"), QStringLiteral("--report"), report});
    QVERIFY2(last.exitCode == 0, qPrintable(last.err));
    const QJsonObject summary = readJson(report).value(QStringLiteral("summary")).toObject();
    QCOMPARE(summary.value(QStringLiteral("done")).toInt() +
                 summary.value(QStringLiteral("skipped")).toInt(),
             N);
    QVERIFY(summary.value(QStringLiteral("skipped")).toInt() > 0); // the earlier work was kept
    QSet<QString> written;
    for (const QString &file : listFiles(path(QStringLiteral("out/in"))))
        written.insert(file);
    QCOMPARE(written, names); // N outputs: none missing, no duplicate, no temporary file
    const QStringList problems = outputProblems(QStringLiteral("out/in"), names, QSize(64, 48));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
    // The finished job left nothing to resume.
    QCOMPARE(QDir(journalFolder()).entryList({QStringLiteral("*.journal")}).size(), 0);
}

// An input that crashes the process (a failpoint aborts in its decode): the run crashes, the
// resumed run tries it alone and crashes again, the next one quarantines it and finishes.
void tst_SluiceCli::poisonInputIsQuarantined()
{
    writeJpegs(QStringLiteral("in"), 12, QSize(320, 240));
    writeFile(path(QStringLiteral("in/poison.jpg")),
              encode(quadrants(QSize(320, 240)), "jpeg", 90));
    qputenv("SLUICE_FAILPOINTS", "decode=crash:match=poison");
    const QString report = path(QStringLiteral("report.json"));
    const QStringList args = {
        path(QStringLiteral("in")), QStringLiteral("-o"),       path(QStringLiteral("out")),
        QStringLiteral("--size"),   QStringLiteral("64"),       QStringLiteral("--workers"),
        QStringLiteral("2"),        QStringLiteral("--report"), report};
    const QStringList resume = args + QStringList{QStringLiteral("--resume")};
    const Run first = runCli(args);
    QCOMPARE(first.exitCode, -2); // crashed
    QVERIFY2(first.err.contains(QStringLiteral("crashing on purpose")), qPrintable(first.err));
    const Run second = runCli(resume);
    QCOMPARE(second.exitCode, -2);
    QVERIFY2(second.err.contains(QStringLiteral("1 earlier run(s) crashed")),
             qPrintable(second.err));
    const Run third = runCli(resume);
    QVERIFY2(third.exitCode == 1, qPrintable(third.err)); // one input failed, the rest done
    QVERIFY2(third.err.contains(QStringLiteral("quarantined")), qPrintable(third.err));
    const QJsonObject json = readJson(report);
    int done = 0;
    for (const QJsonValue &value : json.value(QStringLiteral("items")).toArray()) {
        const QJsonObject item = value.toObject();
        const QString status = item.value(QStringLiteral("status")).toString();
        if (item.value(QStringLiteral("relativePath")).toString() ==
            QLatin1String("in/poison.jpg")) {
            QCOMPARE(status, QStringLiteral("failed"));
            QVERIFY(item.value(QStringLiteral("error"))
                        .toString()
                        .contains(QStringLiteral("crashed twice")));
        } else {
            QVERIFY2(status == QLatin1String("done") || status == QLatin1String("skipped"),
                     qPrintable(status));
            ++done;
        }
    }
    QCOMPARE(done, 12);
    QCOMPARE(listFiles(path(QStringLiteral("out/in"))).size(), 12);
}

// The first run is killed once its first output exists: at 2 images/s it has 15 s of work
// left then, so it is surely killed mid-run and leaves its journal.
void tst_SluiceCli::resumeWithOtherSettingsIsRefused()
{
    writeJpegs(QStringLiteral("in"), 30, QSize(320, 240));
    const QStringList args = {path(QStringLiteral("in")), QStringLiteral("-o"),
                              path(QStringLiteral("out")), QStringLiteral("--rate"),
                              QStringLiteral("2")};
    QProcess process;
    process.start(QStringLiteral(SLUICE_CLI_PATH), args + QStringList{"--size", "64"});
    QVERIFY(process.waitForStarted());
    QVERIFY(QTest::qWaitFor([&] { return !listFiles(path(QStringLiteral("out"))).isEmpty(); },
                            Patience));
    process.kill();
    QVERIFY(process.waitForFinished(Patience));
    const Run other = runCli(args + QStringList{"--size", "128", "--resume"});
    QCOMPARE(other.exitCode, 2);
    QVERIFY2(other.err.contains(QStringLiteral("other settings")), qPrintable(other.err));
    QVERIFY2(other.err.contains(QStringLiteral("64x64")), qPrintable(other.err));
}

// The second process starts once the first one has written an output: at 1 image/s the first
// one still has half a minute of work, so it surely holds the job while the second one looks.
void tst_SluiceCli::secondProcessOnTheSameJobIsRefused()
{
    writeJpegs(QStringLiteral("in"), 30, QSize(320, 240));
    const QStringList args = {path(QStringLiteral("in")),  QStringLiteral("-o"),
                              path(QStringLiteral("out")), QStringLiteral("--rate"),
                              QStringLiteral("1"),         QStringLiteral("--size"),
                              QStringLiteral("64")};
    QProcess process;
    process.start(QStringLiteral(SLUICE_CLI_PATH), args);
    QVERIFY(process.waitForStarted());
    QVERIFY(QTest::qWaitFor([&] { return !listFiles(path(QStringLiteral("out"))).isEmpty(); },
                            Patience));
    const Run second = runCli(args + QStringList{QStringLiteral("--resume")});
    process.kill();
    process.waitForFinished(Patience);
    QCOMPARE(second.exitCode, 1);
    QVERIFY2(second.err.contains(QStringLiteral("another sluice")), qPrintable(second.err));
}

// A full output disk (injected once) pauses the run instead of failing the image; with room on
// the disk the run goes on by itself and every image is written on its first counted attempt.
void tst_SluiceCli::fullDiskPausesThenGoesOn()
{
    writeJpegs(QStringLiteral("in"), 4, QSize(320, 240));
    qputenv("SLUICE_FAILPOINTS", "write=enospc:once");
    const QString report = path(QStringLiteral("report.json"));
    const Run run = runCli({path(QStringLiteral("in")), QStringLiteral("-o"),
                            path(QStringLiteral("out")), QStringLiteral("--size"),
                            QStringLiteral("64"), QStringLiteral("--report"), report});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.err.contains(QStringLiteral("paused: the output disk is full")),
             qPrintable(run.err));
    QVERIFY2(run.err.contains(QStringLiteral("resuming")), qPrintable(run.err));
    QCOMPARE(listFiles(path(QStringLiteral("out/in"))).size(), 4);
    for (const QJsonValue &value : readJson(report).value(QStringLiteral("items")).toArray()) {
        QCOMPARE(value.toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("done"));
        QCOMPARE(value.toObject().value(QStringLiteral("attempts")).toInt(), 1);
    }
}

// A failed input named "bad<newline>line.jpg" cannot forge a line of its own on the terminal.
void tst_SluiceCli::controlCharactersInNamesAreEscaped()
{
    const QByteArray broken("\xff\xd8\xff\xe0 broken");
    writeFile(path(QStringLiteral("in/bad\nline\x1b[2J.jpg")), broken);
    writeFile(path(QStringLiteral("in/x.jpg")), broken);
    const Run run =
        runCli({path(QStringLiteral("in")), QStringLiteral("-o"), path(QStringLiteral("out"))});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(!run.err.contains(QChar(0x1b)), qPrintable(run.err));
    QVERIFY2(run.err.contains(QStringLiteral("in/x.jpg")), qPrintable(run.err));
    QVERIFY2(run.err.contains(QStringLiteral("in/bad\\x0aline\\x1b[2J.jpg")), qPrintable(run.err));
}

QTEST_GUILESS_MAIN(tst_SluiceCli)
#include "tst_sluicecli.moc"
