// sluice-cli's Runner in-process (no QProcess): options in, one batch on a pool, an exit code,
// the records and the report out; refusals with their exit codes; an interrupt stops gracefully.
#include "testimages.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <batchrunner.h>
#include <clioptions.h>
#include <fcntl.h>
#include <localpath.h>
#include <printable.h>
#include <quazip/quazip.h>
#include <quazip/quazipfileinfo.h>
#include <runner.h>
#include <signal.h>
#include <sink.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zipsink.h>

using namespace sluice;
using namespace sluice::cli;

class tst_Runner : public QObject
{
    Q_OBJECT

private:
    QString makeFolder(const QString &name, int count, int broken = 0) const
    {
        const QString folder = m_dir->filePath(name);
        QDir().mkpath(folder);
        for (int i = 0; i < count; ++i)
            testimages::writeImage(QStringLiteral("%1/img%2.png").arg(folder).arg(i), QSize(48, 32),
                                   "png");
        for (int i = 0; i < broken; ++i)
            testimages::writeFile(QStringLiteral("%1/broken%2.png").arg(folder).arg(i),
                                  testimages::pngHeaderOnly(48, 32));
        return folder;
    }
    CliOptions options(const QStringList &arguments) const
    {
        const ParseOutcome p = parseCommandLine(
            QStringList{QStringLiteral("sluice-cli"), QStringLiteral("-q")} + arguments);
        if (p.kind != ParseOutcome::Kind::Run)
            qWarning("%s", qPrintable(p.message));
        return p.options;
    }
    // Runs to the end; the exit code, or -1 when it did not end in time.
    static int run(Runner &runner)
    {
        QSignalSpy finished(&runner, &Runner::finished);
        runner.start();
        if (finished.isEmpty() && !finished.wait(60000))
            return -1;
        return finished.first().first().toInt();
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    QTemporaryDir m_data; // XDG_DATA_HOME: the journal folder, never the user's

private slots:
    void initTestCase()
    {
        QVERIFY(m_data.isValid());
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_data.path()));
    }
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void everyInputIsReportedAndTheExitCodeSaysHow_data()
    {
        QTest::addColumn<int>("broken");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("all done") << 0 << 0;
        QTest::newRow("one damaged") << 1 << 1;
    }
    void everyInputIsReportedAndTheExitCodeSaysHow()
    {
        QFETCH(int, broken);
        QFETCH(int, exitCode);
        const QString in = makeFolder(QStringLiteral("photos"), 5, broken);
        const QString report = m_dir->filePath(QStringLiteral("report.json"));
        Runner runner(
            options({in, QStringLiteral("-o"), m_dir->filePath(QStringLiteral("out")),
                     QStringLiteral("--size"), QStringLiteral("16"), QStringLiteral("--retries"),
                     QStringLiteral("0"), QStringLiteral("--report"), report}));
        QCOMPARE(run(runner), exitCode);
        const QVector<ReportRecord> records = runner.records();
        QCOMPARE(records.size(), 5 + broken);
        const RunTally tally = RunTally::of(records);
        QCOMPARE(tally.done, qint64(5));
        QCOMPARE(tally.failed, qint64(broken));
        for (const ReportRecord &r : records) {
            QVERIFY(r.source.startsWith(in));
            if (r.status == ResultStatus::Done)
                QVERIFY(QFileInfo(r.output).isFile());
            else
                QVERIFY(!r.error.isEmpty());
        }
        QFile file(report);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject summary =
            QJsonDocument::fromJson(file.readAll()).object().value("summary").toObject();
        QCOMPARE(summary.value(QStringLiteral("total")).toInt(), 5 + broken);
        QCOMPARE(summary.value(QStringLiteral("exitCode")).toInt(), exitCode);
        // A run that went through leaves nothing to resume.
        QVERIFY(Journal::unfinished().isEmpty());
    }

    // Issue 11: an animation becomes its first frame, and the report says so.
    void onlyTheFirstFrameIsSaid()
    {
        const QString in = m_dir->filePath(QStringLiteral("anim"));
        QVERIFY(QDir().mkpath(in));
        QByteArray gif = QByteArrayLiteral("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff"
                                           "\x00\x00\x00");
        for (int frame = 0; frame < 3; ++frame)
            gif += QByteArrayLiteral("!\xf9\x04\x00\x0a\x00\x00\x00,\x00\x00\x00\x00\x01\x00"
                                     "\x01\x00\x00\x02\x02\x44\x01\x00");
        gif += ';';
        testimages::writeFile(in + QStringLiteral("/anim.gif"), gif);
        makeFolder(QStringLiteral("anim"), 1); // and a still image: no note
        Runner runner(options({in, QStringLiteral("-o"), m_dir->filePath(QStringLiteral("out")),
                               QStringLiteral("--size"), QStringLiteral("16")}));
        QCOMPARE(run(runner), 0);
        const QVector<ReportRecord> records = runner.records();
        QCOMPARE(records.size(), 2);
        for (const ReportRecord &r : records) {
            QCOMPARE(int(r.status), int(ResultStatus::Done));
            QCOMPARE(r.note, r.source.endsWith(QLatin1String(".gif"))
                                 ? QStringLiteral("first frame of 3")
                                 : QString());
        }
    }

    void zipOutputIsCompleted()
    {
        const QString in = makeFolder(QStringLiteral("photos"), 4);
        const QString zip = m_dir->filePath(QStringLiteral("web.zip"));
        Runner runner(options(
            {in, QStringLiteral("-o"), zip, QStringLiteral("--size"), QStringLiteral("16")}));
        QCOMPARE(run(runner), 0);
        QCOMPARE(testimages::zipEntryNames(zip).size(), 4);
        for (const ReportRecord &r : runner.records())
            QVERIFY(!r.output.startsWith(QLatin1Char('/'))); // entry names, not paths
    }

    void interruptStopsGracefullyWithExitThree_data()
    {
        QTest::addColumn<QString>("output");
        QTest::newRow("folder") << "out";
        QTest::newRow("zip") << "out.zip";
    }
    void interruptStopsGracefullyWithExitThree()
    {
        QFETCH(QString, output);
        const QString in = makeFolder(QStringLiteral("photos"), 40);
        const QString out = m_dir->filePath(output);
        Runner runner(
            options({in, QStringLiteral("-o"), out, QStringLiteral("--size"), QStringLiteral("16"),
                     QStringLiteral("--rate"), QStringLiteral("20")}));
        QSignalSpy finished(&runner, &Runner::finished);
        runner.start();
        runner.interrupt(SIGINT, 1);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().toInt(), 3);
        const QVector<ReportRecord> records = runner.records();
        // Everything handed to the pool is accounted for; a discarded archive holds nothing.
        for (const ReportRecord &r : records) {
            QVERIFY(r.status == ResultStatus::Done || r.status == ResultStatus::Canceled);
            if (output.endsWith(QLatin1String(".zip")))
                QCOMPARE(int(r.status), int(ResultStatus::Canceled));
        }
        if (output.endsWith(QLatin1String(".zip"))) {
            QVERIFY(!QFileInfo::exists(out));
            QVERIFY(!QFileInfo::exists(ZipSink::temporaryPathFor(out)));
        }
        // An interrupted run is resumable.
        QCOMPARE(Journal::unfinished().size(), 1);
        QVERIFY(Journal::discard(Journal::unfinished().first().path));
    }

    // Issue 12: every file under the inputs is accounted for (hidden files as skipped), and
    // outputs of earlier runs inside the tree are skipped as "Sluice output", folder or ZIP.
    void earlierOutputsAndHiddenFilesAreSkippedWithTheirReason()
    {
        const QString shoot = m_dir->filePath(QStringLiteral("shoot"));
        makeFolder(QStringLiteral("shoot/day1"), 2);
        makeFolder(QStringLiteral("shoot/day2"), 3);
        testimages::writeImage(shoot + QStringLiteral("/day2/.hidden.png"), QSize(8, 8), "png");
        const QStringList size{QStringLiteral("--size"), QStringLiteral("16")};
        Runner first(options(QStringList{shoot + QStringLiteral("/day1"), QStringLiteral("-o"),
                                         shoot + QStringLiteral("/day1-sluice")} +
                             size));
        QCOMPARE(run(first), 0);
        QVERIFY(QFileInfo::exists(shoot + QStringLiteral("/day1-sluice/") +
                                  QLatin1String(OutputMarkerFile)));
        Runner second(options(QStringList{shoot + QStringLiteral("/day2"), QStringLiteral("-o"),
                                          shoot + QStringLiteral("/day2.zip")} +
                              size));
        QCOMPARE(run(second), 0);
        QCOMPARE(RunTally::of(second.records()).skipped, qint64(1)); // .hidden.png

        Runner later(options(
            QStringList{shoot, QStringLiteral("-o"), m_dir->filePath(QStringLiteral("web"))} +
            size));
        QCOMPARE(run(later), 0);
        QMap<QString, QString> skipped;
        for (const ReportRecord &r : later.records()) {
            if (r.status == ResultStatus::Skipped)
                skipped.insert(r.relativePath, r.skipReason);
        }
        QCOMPARE(skipped.value(QStringLiteral("shoot/day1-sluice")),
                 QStringLiteral("Sluice output"));
        QCOMPARE(skipped.value(QStringLiteral("shoot/day2.zip")), QStringLiteral("Sluice output"));
        QCOMPARE(skipped.value(QStringLiteral("shoot/day2/.hidden.png")), QStringLiteral("hidden"));
        QCOMPARE(skipped.size(), 3);
        QCOMPARE(RunTally::of(later.records()).done, qint64(5)); // the photographs, once each
    }

    // Issue 12: --keep-dates gives outputs their input's time, in a folder and in a ZIP, and an
    // unchanged input is still up to date on the next run, a touched one is redone.
    void keepDatesKeepsIncrementalRunsRight()
    {
        const QString in = makeFolder(QStringLiteral("photos"), 2);
        const QDateTime old(QDate(2021, 6, 5), QTime(14, 30, 8), Qt::UTC);
        for (const QString &name : {QStringLiteral("img0.png"), QStringLiteral("img1.png")}) {
            QFile file(in + QLatin1Char('/') + name);
            QVERIFY(file.open(QIODevice::ReadWrite));
            QVERIFY(file.setFileTime(old, QFileDevice::FileModificationTime));
        }
        const QString out = m_dir->filePath(QStringLiteral("out"));
        const QStringList args{in,
                               QStringLiteral("-o"),
                               out,
                               QStringLiteral("--size"),
                               QStringLiteral("16"),
                               QStringLiteral("--keep-dates")};
        Runner first(options(args));
        QCOMPARE(run(first), 0);
        for (const ReportRecord &r : first.records())
            QCOMPARE(QFileInfo(r.output).lastModified().toUTC(), old);
        Runner again(options(args));
        QCOMPARE(run(again), 0);
        QCOMPARE(RunTally::of(again.records()).skipped, qint64(2)); // up to date
        {
            QFile touched(in + QStringLiteral("/img1.png"));
            QVERIFY(touched.open(QIODevice::ReadWrite));
            QVERIFY(touched.setFileTime(old.addDays(1), QFileDevice::FileModificationTime));
        }
        Runner third(options(args));
        QCOMPARE(run(third), 0);
        QCOMPARE(RunTally::of(third.records()).done, qint64(1));
        QCOMPARE(RunTally::of(third.records()).skipped, qint64(1));

        const QString zip = m_dir->filePath(QStringLiteral("web.zip"));
        Runner zipped(options({in, QStringLiteral("-o"), zip, QStringLiteral("--size"),
                               QStringLiteral("16"), QStringLiteral("--keep-dates")}));
        QCOMPARE(run(zipped), 0);
        QuaZip archive(zip);
        QVERIFY(archive.open(QuaZip::mdUnzip));
        for (bool more = archive.goToFirstFile(); more; more = archive.goToNextFile()) {
            QuaZipFileInfo64 info;
            QVERIFY(archive.getCurrentFileInfo(&info));
            // ZIP times are local, to two seconds.
            QVERIFY2(qAbs(info.dateTime.secsTo(old.toLocalTime())) <= 2 ||
                         qAbs(info.dateTime.secsTo(old.addDays(1).toLocalTime())) <= 2,
                     qPrintable(info.dateTime.toString(Qt::ISODate)));
        }
        QCOMPARE(archive.getComment(), QString::fromLatin1(OutputMarkerComment));
    }

    // Issue 12: names that are not UTF-8, in a folder, in a folder's name and given directly,
    // are processed under a valid output name; the report shows the raw bytes escaped.
    void namesThatAreNotUtf8AreProcessed()
    {
        const QByteArray root = QFile::encodeName(m_dir->path());
        const QByteArray png = testimages::encode(testimages::quadrants(QSize(40, 30)), "png");
        QVERIFY(::mkdir((root + "/in").constData(), 0755) == 0);
        QVERIFY(::mkdir((root + "/in/dir\xff").constData(), 0755) == 0);
        for (const QByteArray &name :
             {QByteArray("/in/caf\xe9.png"), QByteArray("/in/dir\xff/b\xe4r.png")}) {
            QFile file;
            const int fd = ::open((root + name).constData(), O_WRONLY | O_CREAT, 0644);
            QVERIFY(fd >= 0);
            QVERIFY(file.open(fd, QIODevice::WriteOnly, QFileDevice::AutoCloseHandle));
            QCOMPARE(file.write(png), png.size());
        }
        const QString out = m_dir->filePath(QStringLiteral("out"));
        const QString in = localpath::decode(root + "/in");
        Runner folder(options(
            {in, QStringLiteral("-o"), out, QStringLiteral("--size"), QStringLiteral("16")}));
        QCOMPARE(run(folder), 0);
        QCOMPARE(RunTally::of(folder.records()).done, qint64(2));
        QStringList outputs = testimages::listFiles(out);
        outputs.sort();
        QCOMPARE(outputs,
                 (QStringList{QStringLiteral("in/café.png"), QStringLiteral("in/dirÿ/bär.png")}));
        for (const ReportRecord &r : folder.records()) { // the raw bytes, escaped
            QVERIFY2(r.source.endsWith(QLatin1String("/caf\\xe9.png")) ||
                         r.source.endsWith(QLatin1String("/dir\\xff/b\\xe4r.png")),
                     qPrintable(r.source));
            QCOMPARE(QString::fromUtf8(r.source.toUtf8()), r.source); // survives any report
        }

        const QString direct = localpath::decode(root + "/in/caf\xe9.png");
        Runner file(options({direct, QStringLiteral("-o"), m_dir->filePath(QStringLiteral("o2")),
                             QStringLiteral("--size"), QStringLiteral("16")}));
        QCOMPARE(run(file), 0); // not "no such file or folder"
        QCOMPARE(RunTally::of(file.records()).done, qint64(1));
        // QTemporaryDir cannot remove names Qt cannot spell: unlink them by their bytes.
        ::unlink((root + "/in/caf\xe9.png").constData());
        ::unlink((root + "/in/dir\xff/b\xe4r.png").constData());
        ::rmdir((root + "/in/dir\xff").constData());
    }

    void refusalsHaveTheirExitCodes()
    {
        const QString in = makeFolder(QStringLiteral("photos"), 2);
        const QString out = m_dir->filePath(QStringLiteral("out"));
        const QStringList base{in, QStringLiteral("-o"), out, QStringLiteral("--size"),
                               QStringLiteral("16")};
        BatchSpec spec;
        spec.name = QStringLiteral("sluice-cli");
        spec.inputs = {in};
        spec.output = out;
        spec.recipe = options(base).recipe;
        {
            // Another process runs the same job: exit 1.
            auto holder = Journal::open(spec.jobSpec(), Journal::Mode::Fresh, nullptr);
            QVERIFY(holder);
            Runner runner(options(base));
            QCOMPARE(run(runner), 1);
            QVERIFY(runner.records().isEmpty());
        } // the holder closes as interrupted: resumable with its settings
        Runner other(options(base + QStringList{QStringLiteral("--resume"),
                                                QStringLiteral("--size"), QStringLiteral("32")}));
        QCOMPARE(run(other), 2); // --resume with other settings
        Runner same(options(base + QStringList{QStringLiteral("--resume")}));
        QCOMPARE(run(same), 0);
        QCOMPARE(RunTally::of(same.records()).done, qint64(2));
    }
};

QTEST_GUILESS_MAIN(tst_Runner)
#include "tst_runner.moc"
