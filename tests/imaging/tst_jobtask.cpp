// The pool task for one input (makeJobTask): what a journal's record of earlier runs makes of
// it. Quarantined inputs fail at once with the reason, inputs done earlier whose output still
// exists are skipped, a suspect of one crash runs alone, anything else runs the image job and
// journals its start and reserved output.
#include "testimages.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <foldersink.h>
#include <imagejob.h>
#include <jobtask.h>
#include <journal.h>
#include <limits>

using namespace sluice;

class tst_JobTask : public QObject
{
    Q_OBJECT

private:
    JobSpec spec() const
    {
        JobSpec s;
        s.inputs = {m_dir->filePath(QStringLiteral("in"))};
        s.output = m_dir->filePath(QStringLiteral("out"));
        s.recipe = recipe();
        return s;
    }
    static Recipe recipe()
    {
        Recipe r;
        r.targetSize = QSize(16, 16);
        r.format = OutputFormat::Png;
        return r;
    }
    QString journals() const { return m_dir->filePath(QStringLiteral("journals")); }
    InputItem item(const QString &name) const
    {
        return InputItem::fromFile(m_dir->filePath(QStringLiteral("in/") + name), name);
    }
    // The journal a dead process left: a header, one run, `records`, and a crash record when
    // `crash`.
    void writeDeadRun(const QList<QJsonObject> &records, bool crash)
    {
        QDir().mkpath(journals());
        QFile file(Journal::pathFor(spec(), journals()));
        QVERIFY(file.open(QIODevice::Append));
        auto put = [&file](const QJsonObject &o) {
            file.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n');
        };
        if (file.size() == 0)
            put(QJsonObject{{"sluice", "journal"}, {"v", 1}, {"spec", spec().toJson()}});
        put(QJsonObject{{"t", "run"}, {"run", 1}, {"pid", 1}, {"at", 0}});
        for (const QJsonObject &r : records)
            put(r);
        if (crash)
            file.write("{\"t\":\"crash\",\"sig\":\"11\"}\n");
    }
    std::shared_ptr<Journal> resumed()
    {
        JournalError error;
        std::shared_ptr<Journal> journal =
            Journal::open(spec(), Journal::Mode::Resume, &error, journals());
        if (!journal)
            qWarning("%s", qPrintable(error.message));
        return journal;
    }
    static TaskOutcome runTask(const Task &task)
    {
        std::atomic<bool> cancel{false};
        return task.run(TaskContext(&cancel, 1, 1, 1));
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<const Recipe> m_recipe;
    std::shared_ptr<Sink> m_sink;

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        QVERIFY(QDir().mkpath(m_dir->filePath(QStringLiteral("in"))));
        testimages::writeImage(m_dir->filePath(QStringLiteral("in/a.png")), QSize(40, 30), "png");
        m_recipe = std::make_shared<const Recipe>(recipe());
        m_sink = std::make_shared<FolderSink>(m_dir->filePath(QStringLiteral("out")), recipe());
    }

    void withoutAJournalTheImageRuns()
    {
        const InputItem input = item(QStringLiteral("a.png"));
        const Task task = makeJobTask(input, 7, m_recipe, m_sink, nullptr, 1234);
        QCOMPARE(task.tag, quint64(7));
        QCOMPARE(task.costBytes, qint64(1234));
        const TaskOutcome outcome = runTask(task);
        QCOMPARE(int(outcome.kind), int(OutcomeKind::Done));
        QVERIFY(QFileInfo(m_dir->filePath(QStringLiteral("out/a.png"))).isFile());
    }

    void hookRunsBeforeTheImage()
    {
        int calls = 0;
        const Task task = makeJobTask(item(QStringLiteral("a.png")), 0, m_recipe, m_sink, nullptr,
                                      1, [&calls](const TaskContext &) { ++calls; });
        QCOMPARE(calls, 0); // nothing runs at submit time
        QCOMPARE(int(runTask(task).kind), int(OutcomeKind::Done));
        QCOMPARE(calls, 1);
    }

    void doneEarlierIsSkippedWhileItsOutputExists_data()
    {
        QTest::addColumn<bool>("outputExists");
        QTest::newRow("output exists") << true;
        QTest::newRow("output deleted since") << false;
    }
    void doneEarlierIsSkippedWhileItsOutputExists()
    {
        QFETCH(bool, outputExists);
        const QString output = m_dir->filePath(QStringLiteral("out/a.png"));
        if (outputExists) {
            QDir().mkpath(m_dir->filePath(QStringLiteral("out")));
            testimages::writeImage(output, QSize(16, 12), "png");
        }
        const InputItem input = item(QStringLiteral("a.png"));
        writeDeadRun({{{"t", "s"}, {"i", 0}, {"k", journalKey(input)}},
                      {{"t", "f"}, {"i", 0}, {"st", "done"}, {"p", output}}},
                     false);
        const auto journal = resumed();
        QVERIFY(journal);
        const Task task = makeJobTask(input, 0, m_recipe, m_sink, journal, 1000);
        const TaskOutcome outcome = runTask(task);
        if (outputExists) {
            QCOMPARE(int(outcome.kind), int(OutcomeKind::Skipped));
            QCOMPARE(task.costBytes, qint64(0));
            const ImageResult result = outcome.detail.value<ImageResult>();
            QCOMPARE(int(result.skip), int(ImageResult::Skip::DoneBefore));
            QCOMPARE(result.outputPath, output);
        } else {
            QCOMPARE(int(outcome.kind), int(OutcomeKind::Done)); // made again
            QVERIFY(QFileInfo(output).isFile());
        }
    }

    void crashesDecideBetweenAloneAndQuarantine_data()
    {
        QTest::addColumn<int>("crashes");
        QTest::addColumn<bool>("quarantined");
        QTest::addColumn<bool>("alone");
        QTest::newRow("never crashed") << 0 << false << false;
        QTest::newRow("one crash: runs alone") << 1 << false << true;
        QTest::newRow("two crashes: quarantined") << 2 << true << false;
    }
    void crashesDecideBetweenAloneAndQuarantine()
    {
        QFETCH(int, crashes);
        QFETCH(bool, quarantined);
        QFETCH(bool, alone);
        const InputItem input = item(QStringLiteral("a.png"));
        if (crashes == 0)
            writeDeadRun({}, false);
        for (int i = 0; i < crashes; ++i)
            writeDeadRun({{{"t", "s"}, {"i", 0}, {"k", journalKey(input)}}}, true);
        const auto journal = resumed();
        QVERIFY(journal);
        const qint64 normalCost = 5000;
        const Task task = makeJobTask(input, 3, m_recipe, m_sink, journal, normalCost);
        QCOMPARE(task.costBytes >= std::numeric_limits<qint64>::max() / 8, alone);
        if (!alone && !quarantined)
            QCOMPARE(task.costBytes, normalCost);
        const TaskOutcome outcome = runTask(task);
        if (quarantined) {
            QCOMPARE(int(outcome.kind), int(OutcomeKind::PermanentFailure));
            QVERIFY2(outcome.message.contains(QStringLiteral("crashed twice")),
                     qPrintable(outcome.message));
            QVERIFY(!QFileInfo::exists(m_dir->filePath(QStringLiteral("out/a.png"))));
        } else {
            QCOMPARE(int(outcome.kind), int(OutcomeKind::Done));
        }
        // The quarantine is recorded at once: the next resume still refuses the input.
        journal->close(false);
        const auto again = resumed();
        QVERIFY(again);
        QCOMPARE(Journal::isPoison(again->previous(input)), quarantined);
    }

    void aRunningTaskJournalsItsStartAndReservation()
    {
        const InputItem input = item(QStringLiteral("a.png"));
        JournalError error;
        std::shared_ptr<Journal> journal =
            Journal::open(spec(), Journal::Mode::Fresh, &error, journals());
        QVERIFY2(journal, qPrintable(error.message));
        QCOMPARE(int(runTask(makeJobTask(input, 0, m_recipe, m_sink, journal, 1)).kind),
                 int(OutcomeKind::Done));
        journal->flush();
        QFile file(journal->path());
        QVERIFY(file.open(QIODevice::ReadOnly));
        bool startedSeen = false, reservedSeen = false;
        for (const QByteArray &line : file.readAll().split('\n')) {
            const QJsonObject record = QJsonDocument::fromJson(line).object();
            const QString type = record.value(QStringLiteral("t")).toString();
            startedSeen |= type == QLatin1String("s") &&
                           record.value(QStringLiteral("k")).toString() == journalKey(input);
            reservedSeen |=
                type == QLatin1String("w") && record.value(QStringLiteral("p")).toString() ==
                                                  m_dir->filePath(QStringLiteral("out/a.png"));
        }
        QVERIFY(startedSeen);
        QVERIFY(reservedSeen);
        journal->close(true);
    }
};

QTEST_GUILESS_MAIN(tst_JobTask)
#include "tst_jobtask.moc"
