#include "apptestutil.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <batchmanager.h>
#include <batchmodel.h>
#include <thread>

using namespace sluice;
using namespace sluice::app;
using apptest::Patience;
using apptest::str;

class tst_BatchModel : public QObject
{
    Q_OBJECT

    QTemporaryDir m_data;

private slots:
    void initTestCase()
    {
        // The default journal folder of the batches: never the user's own.
        QVERIFY(m_data.isValid());
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_data.path()));
    }
    void oneRowPerBatchWithItsColumns();
    void progressChangesOnlyItsRow();
    void priorityColumnFollowsTheManager();
    void etaText_data();
    void etaText();
};

namespace {

RecipeSettings tiny()
{
    RecipeSettings s;
    s.recipe.targetSize = QSize(8, 8);
    s.recipe.format = OutputFormat::Png;
    return s;
}

} // namespace

void tst_BatchModel::oneRowPerBatchWithItsColumns()
{
    QTemporaryDir dir;
    const QString a = apptest::makeImageFolder(dir.path(), QStringLiteral("a"), 3);
    const QString b = apptest::makeImageFolder(dir.path(), QStringLiteral("b"), 2);
    BatchManager manager(PoolConfig{});
    BatchModel model(&manager);
    const BatchId first = manager.addBatch({a}, tiny());
    const BatchId second = manager.addBatch({b}, tiny(), Priority::Low);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(BatchModel::ColumnCount));
    QTRY_COMPARE_WITH_TIMEOUT(str(model.stateOf(first)), str(BatchState::Finished), Patience);
    QTRY_COMPARE_WITH_TIMEOUT(str(model.stateOf(second)), str(BatchState::Finished), Patience);
    const int row = model.rowOf(second);
    QCOMPARE(model.index(row, BatchModel::NameColumn).data().toString(), QStringLiteral("b"));
    QCOMPARE(model.index(row, BatchModel::PriorityColumn).data().toString(), QStringLiteral("Low"));
    QCOMPARE(model.index(row, BatchModel::StateColumn).data().toString(),
             QStringLiteral("Finished"));
    QCOMPARE(model.index(row, BatchModel::DoneColumn).data().toLongLong(), 2);
    QCOMPARE(model.index(row, BatchModel::ProgressColumn).data().toString(),
             QStringLiteral("2 of 2"));
    QCOMPARE(model.index(row, 0).data(BatchModel::ProgressValueRole).toLongLong(), 2);
    QCOMPARE(model.index(row, 0).data(BatchModel::ProgressMaximumRole).toLongLong(), 2);
    QCOMPARE(model.overallProgress(), qMakePair(qint64(5), qint64(5)));
}

void tst_BatchModel::progressChangesOnlyItsRow()
{
    QTemporaryDir dir;
    const QString a = apptest::makeImageFolder(dir.path(), QStringLiteral("a"), 2);
    const QString b = apptest::makeImageFolder(dir.path(), QStringLiteral("b"), 6);
    BatchManager manager(PoolConfig{});
    BatchModel model(&manager);
    const BatchId first = manager.addBatch({a}, tiny());
    QTRY_COMPARE_WITH_TIMEOUT(str(model.stateOf(first)), str(BatchState::Finished), Patience);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const BatchId second = manager.addBatch({b}, tiny());
    QTRY_COMPARE_WITH_TIMEOUT(str(model.stateOf(second)), str(BatchState::Finished), Patience);
    QVERIFY(!changed.isEmpty());
    for (const QList<QVariant> &args : changed) {
        QCOMPARE(args.at(0).toModelIndex().row(), model.rowOf(second));
        QCOMPARE(args.at(1).toModelIndex().row(), model.rowOf(second));
    }
}

void tst_BatchModel::priorityColumnFollowsTheManager()
{
    QTemporaryDir dir;
    const QString a = apptest::makeImageFolder(dir.path(), QStringLiteral("a"), 4);
    std::atomic<bool> open{false}; // outlives the manager, whose threads read it until they stop
    BatchManager manager(PoolConfig{});
    manager.setTaskHook([&open](const TaskContext &ctx) {
        while (!open && !ctx.isCanceled())
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
    });
    BatchModel model(&manager);
    const BatchId batch = manager.addBatch({a}, tiny());
    manager.setPriority(batch, Priority::High);
    QCOMPARE(model.index(model.rowOf(batch), BatchModel::PriorityColumn).data().toString(),
             QStringLiteral("High"));
    open = true;
}

void tst_BatchModel::etaText_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("unknown") << qint64(-1) << QString();
    QTest::newRow("seconds") << qint64(42) << QStringLiteral("42 s");
    QTest::newRow("minutes") << qint64(125) << QStringLiteral("2 min 5 s");
    QTest::newRow("hours") << qint64(7260) << QStringLiteral("2 h 1 min");
}

void tst_BatchModel::etaText()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, text);
    QCOMPARE(BatchModel::etaText(seconds), text);
}

QTEST_MAIN(tst_BatchModel)
#include "tst_batchmodel.moc"
