// Journal: what a run records, and what a resume makes of it after a clean stop, a kill
// (no end record) or a crash (a crash record): kept outputs, redone items, orphans, crash
// counts, quarantine, refusals. Crashed runs are written as the file a dead process leaves.
#include "testimages.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <journal.h>
#include <sink.h>

using namespace sluice;
using namespace testimages;

class tst_Journal : public QObject
{
    Q_OBJECT

private:
    JobSpec spec() const
    {
        JobSpec s;
        s.inputs = {m_dir->filePath(QStringLiteral("in"))};
        s.output = m_dir->filePath(QStringLiteral("out"));
        s.recipe.targetSize = QSize(256, 256);
        s.name = QStringLiteral("test job");
        return s;
    }
    QString journals() const { return m_dir->filePath(QStringLiteral("journals")); }
    QString in(const QString &name) const { return m_dir->filePath(QStringLiteral("in/") + name); }
    QString out(const QString &name) const
    {
        return m_dir->filePath(QStringLiteral("out/") + name);
    }
    InputItem item(const QString &name) const
    {
        return InputItem::fromFile(in(name), QStringLiteral("in/") + name);
    }
    static Reservation writing(const QString &path)
    {
        Reservation r;
        r.action = Reservation::Action::Write;
        r.path = path;
        return r;
    }
    // The journal a killed (or, with `crash`, crashed) process leaves: its records as given,
    // no end record.
    void writeDeadRun(const QList<QJsonObject> &records, bool crash, bool header = true)
    {
        QDir().mkpath(journals());
        QFile file(Journal::pathFor(spec(), journals()));
        QVERIFY(file.open(QIODevice::Append));
        auto put = [&file](const QJsonObject &o) {
            file.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n');
        };
        if (header)
            put(QJsonObject{{"sluice", "journal"}, {"v", 1}, {"spec", spec().toJson()}});
        put(QJsonObject{{"t", "run"}, {"run", 1}, {"pid", 1}, {"at", 0}});
        for (const QJsonObject &r : records)
            put(r);
        if (crash)
            file.write("{\"t\":\"crash\",\"sig\":\"11\"}\n");
    }
    static QJsonObject started(int tag, const QString &key)
    {
        return {{"t", "s"}, {"i", tag}, {"k", key}};
    }
    static QJsonObject reservedAt(int tag, const QString &path, qint64 atMs)
    {
        return {{"t", "w"}, {"i", tag}, {"p", path}, {"a", "write"}, {"at", double(atMs)}};
    }
    static QJsonObject done(int tag, const QString &path)
    {
        return {{"t", "f"}, {"i", tag}, {"st", "done"}, {"p", path}};
    }
    std::unique_ptr<Journal> resume(QString *error = nullptr)
    {
        JournalError why;
        auto journal = Journal::open(spec(), Journal::Mode::Resume, &why, journals());
        if (error)
            *error = why.message;
        return journal;
    }

    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        QDir().mkpath(m_dir->filePath(QStringLiteral("in")));
        QDir().mkpath(m_dir->filePath(QStringLiteral("out")));
    }

    void idDependsOnInputsOutputAndShardOnly()
    {
        JobSpec a = spec(), b = spec();
        b.recipe.quality = 10;
        b.name = QStringLiteral("other name");
        QCOMPARE(a.id(), b.id());
        b.output += QStringLiteral("2");
        QVERIFY(a.id() != b.id());
        b = spec();
        b.shardCount = 2;
        QVERIFY(a.id() != b.id());
        b = spec();
        b.inputs.append(QStringLiteral("/x"));
        QVERIFY(a.id() != b.id());
    }

    void specRoundTripsThroughJson()
    {
        JobSpec a = spec();
        a.recipe.mode = ResizeMode::Fill;
        a.recipe.format = OutputFormat::Webp;
        a.recipe.quality = 70;
        a.recipe.progressive = true;
        a.recipe.sharpen = true;
        a.recipe.nameTemplate = QStringLiteral("{name}-{w}.{ext}");
        a.recipe.conflict = ConflictPolicy::Skip;
        a.recipe.mirrorTree = false;
        a.recipe.limits.maxPixels = 1234;
        a.shardIndex = 2;
        a.shardCount = 5;
        const JobSpec b = JobSpec::fromJson(a.toJson());
        QCOMPARE(b.inputs, a.inputs);
        QCOMPARE(b.output, a.output);
        QCOMPARE(b.recipe.fingerprint(), a.recipe.fingerprint());
        QCOMPARE(b.recipe.nameTemplate, a.recipe.nameTemplate);
        QCOMPARE(int(b.recipe.conflict), int(a.recipe.conflict));
        QCOMPARE(b.recipe.mirrorTree, false);
        QVERIFY(b.recipe.sharpen);
        QCOMPARE(b.recipe.limits.maxPixels, qint64(1234));
        QCOMPARE(b.shardIndex, 2);
        QCOMPARE(b.shardCount, 5);
        QCOMPARE(b.name, a.name);
    }

    void cleanRunIsResumable()
    {
        writeFile(out(QStringLiteral("a.jpg")), "jpeg");
        {
            JournalError error;
            auto journal = Journal::open(spec(), Journal::Mode::Fresh, &error, journals());
            QVERIFY2(journal, qPrintable(error.message));
            QVERIFY(!error.isError());
            QCOMPARE(journal->run(), 1);
            journal->started(0, item(QStringLiteral("a.jpg")));
            journal->reserved(0, writing(out(QStringLiteral("a.jpg"))));
            journal->finished(0, ResultStatus::Done, out(QStringLiteral("a.jpg")));
            journal->started(1, item(QStringLiteral("b.jpg")));
            journal->finished(1, ResultStatus::Canceled, QString());
            journal->close(false); // interrupted: kept
        }
        const QList<Journal::Summary> listed = Journal::unfinished(journals());
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed.first().spec.inputs, spec().inputs);
        QCOMPARE(listed.first().runs, 1);
        QCOMPARE(listed.first().finishedItems, qint64(1));
        QVERIFY(!listed.first().crashed);

        auto journal = resume();
        QVERIFY(journal);
        QCOMPARE(journal->run(), 2);
        QCOMPARE(int(journal->previous(item(QStringLiteral("a.jpg"))).status),
                 int(Journal::Previous::Status::Done));
        QCOMPARE(journal->previous(item(QStringLiteral("a.jpg"))).output,
                 out(QStringLiteral("a.jpg")));
        QCOMPARE(int(journal->previous(item(QStringLiteral("b.jpg"))).status),
                 int(Journal::Previous::Status::None)); // canceled: redo
        QCOMPARE(journal->previousDone(), qint64(1));
        QCOMPARE(journal->crashedRuns(), 0);
    }

    void completedRunLeavesNothing()
    {
        auto journal = Journal::open(spec(), Journal::Mode::Fresh, nullptr, journals());
        QVERIFY(journal);
        const QString path = journal->path();
        QVERIFY(QFileInfo::exists(path));
        journal->close(true);
        QVERIFY(!QFileInfo::exists(path));
        QVERIFY(Journal::unfinished(journals()).isEmpty());
    }

    // After a kill: what was recorded, or committed before the end, is kept; what was in
    // flight is redone, and a kill counts no crash.
    void killedRunKeepsWrittenRedoesInFlight()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        writeFile(out(QStringLiteral("a.jpg")), "a");
        writeFile(out(QStringLiteral("c.jpg")), "c"); // committed, its "f" never written
        writeDeadRun({started(0, in("a.jpg")), reservedAt(0, out("a.jpg"), now - 100),
                      done(0, out("a.jpg")), started(1, in("b.jpg")),
                      reservedAt(1, out("b.jpg"), now - 50), started(2, in("c.jpg")),
                      reservedAt(2, out("c.jpg"), now - 10)},
                     false);
        auto journal = resume();
        QVERIFY(journal);
        const auto a = journal->previous(item(QStringLiteral("a.jpg")));
        const auto b = journal->previous(item(QStringLiteral("b.jpg")));
        const auto c = journal->previous(item(QStringLiteral("c.jpg")));
        QCOMPARE(int(a.status), int(Journal::Previous::Status::Done));
        QCOMPARE(int(b.status), int(Journal::Previous::Status::None));
        QCOMPARE(b.crashes, 0);
        QVERIFY(!Journal::runAlone(b));
        QCOMPARE(int(c.status), int(Journal::Previous::Status::Done));
        QCOMPARE(c.output, out(QStringLiteral("c.jpg")));
        QCOMPARE(journal->crashedRuns(), 0);
    }

    // Overwrite policy: an output that was already there before the reservation is not
    // evidence that the killed run wrote it.
    void olderOutputAtReservedPathIsNotDone()
    {
        writeFile(out(QStringLiteral("a.jpg")), "old");
        QFile old(out(QStringLiteral("a.jpg")));
        QVERIFY(old.open(QIODevice::ReadWrite));
        QVERIFY(old.setFileTime(QDateTime::currentDateTime().addDays(-1),
                                QFileDevice::FileModificationTime));
        old.close();
        writeDeadRun({started(0, in("a.jpg")),
                      reservedAt(0, out("a.jpg"), QDateTime::currentMSecsSinceEpoch())},
                     false);
        auto journal = resume();
        QVERIFY(journal);
        QCOMPARE(int(journal->previous(item(QStringLiteral("a.jpg"))).status),
                 int(Journal::Previous::Status::None));
    }

    void orphanTemporariesAreRemoved()
    {
        const QString target = out(QStringLiteral("b.jpg"));
        writeFile(target + QStringLiteral(".Xy12Zq"), "partial"); // QSaveFile's pattern
        writeFile(target + QStringLiteral(".backup"), "left");    // six letters: same pattern
        writeFile(target + QStringLiteral(".ab"), "user's");
        writeFile(out(QStringLiteral("other.jpg.Xy12Zq")), "not this item's");
        writeDeadRun(
            {started(1, in("b.jpg")), reservedAt(1, target, QDateTime::currentMSecsSinceEpoch())},
            false);
        auto journal = resume();
        QVERIFY(journal);
        // ".backup" has six letters too: it is removed only if it matches the pattern, which
        // it does; the pattern is QSaveFile's, so the name next to a reserved output is ours.
        QVERIFY(!QFileInfo::exists(target + QStringLiteral(".Xy12Zq")));
        QVERIFY(QFileInfo::exists(target + QStringLiteral(".ab")));
        QVERIFY(QFileInfo::exists(out(QStringLiteral("other.jpg.Xy12Zq"))));
        QCOMPARE(journal->orphansRemoved(), 2);
    }

    // A crash counts once for every item in flight; one crash makes a suspect that runs
    // alone, two make a poison input.
    void crashesMakeSuspectsThenPoison()
    {
        writeDeadRun({started(0, in("p.jpg")), started(1, in("q.jpg"))}, true);
        {
            auto journal = resume();
            QVERIFY(journal);
            QCOMPARE(journal->crashedRuns(), 1);
            const auto p = journal->previous(item(QStringLiteral("p.jpg")));
            QCOMPARE(p.crashes, 1);
            QVERIFY(Journal::runAlone(p));
            QVERIFY(!Journal::isPoison(p));
        }
        // The second run (as its dead process left it): q went through alone, then p
        // crashed again, alone.
        writeDeadRun({started(0, in("q.jpg")), done(0, QString()), started(1, in("p.jpg"))}, true,
                     false);
        auto journal = resume();
        QVERIFY(journal);
        QCOMPARE(journal->crashedRuns(), 2);
        const auto p = journal->previous(item(QStringLiteral("p.jpg")));
        const auto q = journal->previous(item(QStringLiteral("q.jpg")));
        QCOMPARE(p.crashes, 2);
        QVERIFY(Journal::isPoison(p));
        QVERIFY(Journal::quarantineReason(p).contains(QStringLiteral("crashed twice")));
        QCOMPARE(q.crashes, 0);
        QVERIFY(!Journal::isPoison(q));
        // Quarantine is recorded and stays.
        journal->quarantined(5, item(QStringLiteral("p.jpg")), Journal::quarantineReason(p));
        journal->close(false);
        auto again = resume();
        QVERIFY(again);
        QCOMPARE(int(again->previous(item(QStringLiteral("p.jpg"))).status),
                 int(Journal::Previous::Status::Quarantined));
    }

    void otherSettingsAreRefused()
    {
        writeDeadRun({}, false);
        JobSpec other = spec();
        other.recipe.targetSize = QSize(512, 512);
        JournalError error;
        QVERIFY(!Journal::open(other, Journal::Mode::Resume, &error, journals()));
        QCOMPARE(int(error.kind), int(JournalError::Kind::OtherSettings));
        QVERIFY2(error.message.contains(QStringLiteral("other settings")),
                 qPrintable(error.message));
        QVERIFY2(error.message.contains(QStringLiteral("256x256")), qPrintable(error.message));
        // Fresh replaces it.
        QVERIFY(Journal::open(other, Journal::Mode::Fresh, &error, journals()));
    }

    void oneProcessPerJob()
    {
        auto first = Journal::open(spec(), Journal::Mode::Fresh, nullptr, journals());
        QVERIFY(first);
        JournalError error;
        QVERIFY(!Journal::open(spec(), Journal::Mode::Resume, &error, journals()));
        QCOMPARE(int(error.kind), int(JournalError::Kind::Busy));
        QVERIFY2(error.message.contains(QStringLiteral("another sluice")),
                 qPrintable(error.message));
        QVERIFY(Journal::unfinished(journals()).isEmpty()); // held: not offered for resuming
        QVERIFY(!Journal::discard(first->path()));
        first.reset(); // closes as interrupted and lets go
        QCOMPARE(Journal::unfinished(journals()).size(), 1);
        QVERIFY(Journal::discard(Journal::pathFor(spec(), journals())));
        QVERIFY(Journal::unfinished(journals()).isEmpty());
    }

    void unusableFolderIsItsOwnKind()
    {
        QFile blocker(m_dir->filePath(QStringLiteral("not-a-folder")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        JournalError error;
        QVERIFY(!Journal::open(spec(), Journal::Mode::Fresh, &error,
                               blocker.fileName() + QStringLiteral("/journals")));
        QCOMPARE(int(error.kind), int(JournalError::Kind::Unusable));
        QVERIFY2(error.message.contains(QStringLiteral("journal folder")),
                 qPrintable(error.message));
    }

    void tornLastLineIsIgnored()
    {
        writeFile(out(QStringLiteral("a.jpg")), "a");
        writeDeadRun({started(0, in("a.jpg")), done(0, out("a.jpg"))}, false);
        QFile file(Journal::pathFor(spec(), journals()));
        QVERIFY(file.open(QIODevice::Append));
        file.write("{\"t\":\"f\",\"i\":1,\"st\":\"do"); // power lost mid-line
        file.close();
        auto journal = resume();
        QVERIFY(journal);
        QCOMPARE(int(journal->previous(item(QStringLiteral("a.jpg"))).status),
                 int(Journal::Previous::Status::Done));
    }

    void groupedRecordsReachTheFileByFlush()
    {
        auto journal = Journal::open(spec(), Journal::Mode::Fresh, nullptr, journals());
        QVERIFY(journal);
        const qint64 before = QFileInfo(journal->path()).size();
        journal->finished(0, ResultStatus::Done, out(QStringLiteral("a.jpg")));
        QCOMPARE(QFileInfo(journal->path()).size(), before); // grouped, not yet written
        journal->started(1, item(QStringLiteral("b.jpg")));  // written at once
        const qint64 afterStart = QFileInfo(journal->path()).size();
        QVERIFY(afterStart > before);
        journal->flush(true);
        QVERIFY(QFileInfo(journal->path()).size() > afterStart);
    }
};

QTEST_GUILESS_MAIN(tst_Journal)
#include "tst_journal.moc"
