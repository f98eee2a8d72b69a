// The recipe panel as a user sees it (issue 14): what the size box says in percent mode, an
// unknown name token shown at once, the sharpening checkbox.
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <recipepanel.h>

using namespace sluice;
using namespace sluice::app;

class tst_RecipePanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void percentModeSaysPercent();
    void unknownNameTokenIsShownAtOnce();
    void sharpenIsACheckbox();

private:
    QTemporaryDir m_dir;
};

void tst_RecipePanel::percentModeSaysPercent()
{
    QSettings settings(m_dir.filePath(QStringLiteral("percent.ini")), QSettings::IniFormat);
    PresetStore presets(settings);
    RecipePanel panel(presets);
    RecipeSettings recipe = panel.settings();
    recipe.recipe.mode = ResizeMode::Percent;
    recipe.recipe.targetSize = QSize(50, 50);
    panel.setSettings(recipe);
    const QList<QSpinBox *> spins = panel.findChildren<QSpinBox *>();
    QSpinBox *width = nullptr;
    for (QSpinBox *spin : spins)
        if (spin->accessibleName() == QLatin1String("Width"))
            width = spin;
    QVERIFY(width);
    QCOMPARE(width->text(), QStringLiteral("50 %"));
    recipe.recipe.mode = ResizeMode::Fit;
    panel.setSettings(recipe);
    QCOMPARE(width->text(), QStringLiteral("50 px"));
}

void tst_RecipePanel::unknownNameTokenIsShownAtOnce()
{
    QSettings settings(m_dir.filePath(QStringLiteral("names.ini")), QSettings::IniFormat);
    PresetStore presets(settings);
    RecipePanel panel(presets);
    panel.show();
    auto *error = panel.findChild<QLabel *>(QStringLiteral("nameTemplateError"));
    QVERIFY(error);
    QVERIFY(!error->isVisible());
    QLineEdit *names = nullptr;
    for (QLineEdit *edit : panel.findChildren<QLineEdit *>())
        if (edit->text().contains(QLatin1String("{name}")))
            names = edit;
    QVERIFY(names);
    names->setText(QStringLiteral("{nme}_{w}.{ext}"));
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QLatin1String("{nme}")), qPrintable(error->text()));
    names->setText(QStringLiteral("{name}_{w}.{ext}"));
    QVERIFY(!error->isVisible());
}

// --sharpen in the window: a checkbox that the recipe reads and that a preset sets.
void tst_RecipePanel::sharpenIsACheckbox()
{
    QSettings settings(m_dir.filePath(QStringLiteral("sharpen.ini")), QSettings::IniFormat);
    PresetStore presets(settings);
    RecipePanel panel(presets);
    QCheckBox *sharpen = nullptr;
    for (QCheckBox *check : panel.findChildren<QCheckBox *>())
        if (check->text().contains(QLatin1String("Sharpen")))
            sharpen = check;
    QVERIFY(sharpen);
    QVERIFY(!panel.settings().recipe.sharpen);
    sharpen->setChecked(true);
    QVERIFY(panel.settings().recipe.sharpen);
    RecipeSettings recipe = panel.settings();
    recipe.recipe.sharpen = false;
    panel.setSettings(recipe);
    QVERIFY(!sharpen->isChecked());
}

QTEST_MAIN(tst_RecipePanel)
#include "tst_recipepanel.moc"
