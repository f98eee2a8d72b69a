#include "recipepanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <sink.h>

namespace sluice::app {

namespace {

template<typename Enum>
void selectData(QComboBox *combo, Enum value)
{
    const int i = combo->findData(int(value));
    if (i >= 0)
        combo->setCurrentIndex(i);
}

template<typename Enum>
Enum currentEnum(const QComboBox *combo)
{
    return Enum(combo->currentData().toInt());
}

} // namespace

RecipePanel::RecipePanel(PresetStore &presets, QWidget *parent)
    : QWidget(parent)
    , m_presets(presets)
{
    setAccessibleName(tr("Recipe"));
    buildForm();
    fillCombos();
    reloadPresetNames(QString());
    setSettings(m_presets.current());
    connectEdits();
}

void RecipePanel::buildForm()
{
    auto *form = new QFormLayout(this);
    m_width = new QSpinBox(this);
    m_height = new QSpinBox(this);
    for (QSpinBox *side : {m_width, m_height}) {
        side->setRange(1, 65535);
        side->setSuffix(tr(" px"));
    }
    m_width->setAccessibleName(tr("Width"));
    m_height->setAccessibleName(tr("Height"));
    auto *size = new QHBoxLayout;
    size->addWidget(m_width);
    size->addWidget(m_height);
    m_mode = new QComboBox(this);
    m_upscale = new QCheckBox(tr("Enlar&ge smaller images"), this);
    m_sharpen = new QCheckBox(tr("Sharpen slightl&y after reducing"), this);
    m_sharpen->setToolTip(tr("A light unsharp mask after the image is made smaller: crisper "
                             "small images. Enlarged images are left alone."));
    m_format = new QComboBox(this);
    m_quality = new QSpinBox(this);
    m_quality->setRange(0, 100);
    m_nameTemplate = new QLineEdit(this);
    m_nameTemplate->setToolTip(tr("{name} input name, {ext} extension, {w} {h} output size, "
                                  "{n} number from 1, {n:4} zero-padded, {index} number from 0, "
                                  "{date} capture date, {date:yyyyMMdd_HHmmss} with a format, "
                                  "{camera} camera model"));
    m_nameError = new QLabel(this);
    m_nameError->setObjectName(QStringLiteral("nameTemplateError"));
    m_nameError->setWordWrap(true);
    m_nameError->setStyleSheet(QStringLiteral("color: #b00020"));
    m_nameError->hide();
    m_conflict = new QComboBox(this);
    m_mirrorTree = new QCheckBox(tr("&Keep the folder tree"), this);
    m_keepDates = new QCheckBox(tr("Keep the &input dates"), this);
    m_hidden = new QCheckBox(tr("In&clude hidden files (dot-files)"), this);
    m_colour = new QComboBox(this);
    m_colour->setToolTip(tr("sRGB: colours converted from the input's profile to what every "
                            "viewer assumes. Keep: the input's profile, pixels unchanged. Strip: "
                            "pixels unchanged, profile removed."));
    m_metadata = new QComboBox(this);
    m_metadata->setToolTip(
        tr("What of the input's EXIF, XMP, IPTC and comments goes into the outputs. Public "
           "leaves out the location, serial numbers, owner names, maker notes and edit history."));

    form->addRow(tr("&Preset:"), buildPresetRow());
    form->addRow(tr("&Size:"), size);
    form->addRow(tr("Resi&ze:"), m_mode);
    form->addRow(QString(), m_upscale);
    form->addRow(QString(), m_sharpen);
    form->addRow(tr("F&ormat:"), m_format);
    form->addRow(tr("&Quality:"), m_quality);
    form->addRow(tr("O&utput:"), buildOutputRow());
    form->addRow(tr("&Names:"), m_nameTemplate);
    form->addRow(QString(), m_nameError);
    form->addRow(tr("If t&he name is taken:"), m_conflict);
    form->addRow(QString(), m_mirrorTree);
    form->addRow(QString(), m_keepDates);
    form->addRow(QString(), m_hidden);
    form->addRow(tr("Co&lours:"), m_colour);
    form->addRow(tr("Me&tadata:"), m_metadata);
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(size)))
        label->setBuddy(m_width);
}

QWidget *RecipePanel::buildPresetRow()
{
    // The preset's name gets the whole width; its buttons go on a line below it.
    auto *row = new QWidget(this);
    auto *column = new QVBoxLayout(row);
    column->setContentsMargins(0, 0, 0, 0);
    auto *layout = new QHBoxLayout;
    m_preset = new QComboBox(row);
    m_preset->setAccessibleName(tr("Preset"));
    m_preset->setPlaceholderText(tr("(not saved)"));
    m_preset->setMinimumContentsLength(12);
    m_preset->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_saveAs = new QPushButton(tr("Sa&ve as…"), row);
    m_rename = new QPushButton(tr("Rena&me…"), row);
    m_delete = new QPushButton(tr("&Delete"), row);
    column->addWidget(m_preset);
    column->addLayout(layout);
    layout->addWidget(m_saveAs);
    layout->addWidget(m_rename);
    layout->addWidget(m_delete);
    layout->addStretch(1);
    connect(m_preset, &QComboBox::activated, this,
            [this](int index) { applyPreset(m_preset->itemText(index)); });
    connect(m_saveAs, &QPushButton::clicked, this, &RecipePanel::askSaveAs);
    connect(m_rename, &QPushButton::clicked, this, &RecipePanel::askRename);
    connect(m_delete, &QPushButton::clicked, this, &RecipePanel::askDelete);
    return row;
}

QWidget *RecipePanel::buildOutputRow()
{
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    m_outputKind = new QComboBox(row);
    m_outputKind->setAccessibleName(tr("Output kind"));
    m_outputKind->addItem(tr("Folder"), false);
    m_outputKind->addItem(tr("ZIP archive"), true);
    m_outputFolder = new QLineEdit(row);
    m_outputFolder->setAccessibleName(tr("Output location"));
    m_outputFolder->setPlaceholderText(tr("Beside the input"));
    m_outputFolder->setClearButtonEnabled(true);
    m_browse = new QPushButton(tr("Brows&e…"), row);
    layout->addWidget(m_outputKind);
    layout->addWidget(m_outputFolder, 1);
    layout->addWidget(m_browse);
    connect(m_browse, &QPushButton::clicked, this, &RecipePanel::browseOutputFolder);
    return row;
}

void RecipePanel::fillCombos()
{
    m_mode->addItem(tr("Fit inside the box"), int(ResizeMode::Fit));
    m_mode->addItem(tr("Fill the box and crop"), int(ResizeMode::Fill));
    m_mode->addItem(tr("Exactly the box (stretch)"), int(ResizeMode::Exact));
    m_mode->addItem(tr("Long edge = width"), int(ResizeMode::LongEdge));
    m_mode->addItem(tr("Short edge = width"), int(ResizeMode::ShortEdge));
    m_mode->addItem(tr("Percent (width)"), int(ResizeMode::Percent));
    m_format->addItem(tr("Keep the input's format"), int(OutputFormat::Keep));
    m_format->addItem(tr("JPEG"), int(OutputFormat::Jpeg));
    m_format->addItem(tr("PNG"), int(OutputFormat::Png));
    m_format->addItem(tr("WebP"), int(OutputFormat::Webp));
    m_format->addItem(tr("AVIF"), int(OutputFormat::Avif));
    m_format->addItem(tr("JPEG XL"), int(OutputFormat::Jxl));
    m_conflict->addItem(tr("Rename the new file"), int(ConflictPolicy::Rename));
    m_conflict->addItem(tr("Overwrite"), int(ConflictPolicy::Overwrite));
    m_conflict->addItem(tr("Skip"), int(ConflictPolicy::Skip));
    m_colour->addItem(tr("sRGB (converted)"), int(ColourPolicy::Srgb));
    m_colour->addItem(tr("Keep the input's profile"), int(ColourPolicy::Keep));
    m_colour->addItem(tr("Strip the profile"), int(ColourPolicy::Strip));
    m_metadata->addItem(tr("Keep all"), int(MetadataPolicy::Keep));
    m_metadata->addItem(tr("Public only (no location, no serials)"), int(MetadataPolicy::Public));
    m_metadata->addItem(tr("None"), int(MetadataPolicy::None));
}

void RecipePanel::connectEdits()
{
    const auto changed = [this] {
        updateEnabled();
        if (!m_loading)
            emit settingsChanged();
    };
    for (QSpinBox *spin : {m_width, m_height, m_quality})
        connect(spin, &QSpinBox::valueChanged, this, changed);
    for (QComboBox *combo : {m_mode, m_format, m_outputKind, m_conflict, m_metadata, m_colour})
        connect(combo, &QComboBox::currentIndexChanged, this, changed);
    for (QCheckBox *check : {m_upscale, m_sharpen, m_mirrorTree, m_keepDates, m_hidden})
        connect(check, &QCheckBox::toggled, this, changed);
    for (QLineEdit *edit : {m_outputFolder, m_nameTemplate})
        connect(edit, &QLineEdit::textChanged, this, changed);
}

RecipeSettings RecipePanel::settings() const
{
    RecipeSettings s;
    Recipe &r = s.recipe;
    r.targetSize = QSize(m_width->value(), m_height->value());
    r.mode = currentEnum<ResizeMode>(m_mode);
    r.upscale = m_upscale->isChecked();
    r.sharpen = m_sharpen->isChecked();
    r.format = currentEnum<OutputFormat>(m_format);
    r.quality = m_quality->value();
    r.nameTemplate =
        m_nameTemplate->text().trimmed().isEmpty() ? Recipe().nameTemplate : m_nameTemplate->text();
    r.conflict = currentEnum<ConflictPolicy>(m_conflict);
    r.mirrorTree = m_mirrorTree->isChecked();
    r.keepDates = m_keepDates->isChecked();
    r.metadata = currentEnum<MetadataPolicy>(m_metadata);
    r.colour = currentEnum<ColourPolicy>(m_colour);
    s.includeHidden = m_hidden->isChecked();
    s.output.zip = m_outputKind->currentData().toBool();
    s.output.folder = m_outputFolder->text().trimmed();
    return s;
}

void RecipePanel::setSettings(const RecipeSettings &s)
{
    m_loading = true;
    const Recipe &r = s.recipe;
    m_width->setValue(r.targetSize.width());
    m_height->setValue(r.targetSize.height());
    selectData(m_mode, r.mode);
    m_upscale->setChecked(r.upscale);
    m_sharpen->setChecked(r.sharpen);
    selectData(m_format, r.format);
    m_quality->setValue(r.quality);
    m_nameTemplate->setText(r.nameTemplate);
    selectData(m_conflict, r.conflict);
    m_mirrorTree->setChecked(r.mirrorTree);
    m_keepDates->setChecked(r.keepDates);
    selectData(m_metadata, r.metadata);
    selectData(m_colour, r.colour);
    m_hidden->setChecked(s.includeHidden);
    m_outputKind->setCurrentIndex(s.output.zip ? 1 : 0);
    m_outputFolder->setText(s.output.folder);
    m_loading = false;
    updateEnabled();
    emit settingsChanged();
}

void RecipePanel::updateEnabled()
{
    const ResizeMode mode = currentEnum<ResizeMode>(m_mode);
    const bool usesHeight =
        mode == ResizeMode::Fit || mode == ResizeMode::Fill || mode == ResizeMode::Exact;
    m_height->setEnabled(usesHeight);
    m_width->setSuffix(mode == ResizeMode::Percent ? tr(" %") : tr(" px"));
    const QString token = unknownNamingToken(m_nameTemplate->text());
    m_nameError->setText(token.isEmpty() ? QString()
                                         : tr("Not a token Sluice knows: %1. Use {name}, {ext}, "
                                              "{w}, {h}, {n}, {n:4}, {index}, {date}, "
                                              "{date:yyyy-MM-dd} or {camera}.")
                                               .arg(token));
    m_nameError->setVisible(!token.isEmpty());
    const OutputFormat format = currentEnum<OutputFormat>(m_format);
    m_quality->setEnabled(format != OutputFormat::Png);
}

bool RecipePanel::applyPreset(const QString &name)
{
    const std::optional<Preset> preset = m_presets.preset(name);
    if (!preset)
        return false;
    m_preset->setCurrentText(name);
    setSettings(preset->settings);
    return true;
}

bool RecipePanel::saveAsPreset(const QString &name)
{
    if (!m_presets.save({name.trimmed(), settings()}))
        return false;
    reloadPresetNames(name.trimmed());
    return true;
}

bool RecipePanel::renamePreset(const QString &from, const QString &to)
{
    if (!m_presets.rename(from, to.trimmed()))
        return false;
    reloadPresetNames(to.trimmed());
    return true;
}

bool RecipePanel::deletePreset(const QString &name)
{
    if (!m_presets.remove(name))
        return false;
    reloadPresetNames(QString());
    return true;
}

QString RecipePanel::selectedPreset() const
{
    return m_preset->currentText();
}

void RecipePanel::reloadPresetNames(const QString &select)
{
    m_preset->clear();
    m_preset->addItems(m_presets.names());
    m_preset->setCurrentIndex(select.isEmpty() ? -1 : m_preset->findText(select));
    m_rename->setEnabled(m_preset->count() > 0);
    m_delete->setEnabled(m_preset->count() > 0);
}

void RecipePanel::askSaveAs()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save preset"), tr("Preset name:"),
                                               QLineEdit::Normal, selectedPreset(), &ok);
    if (ok && !name.trimmed().isEmpty())
        saveAsPreset(name);
}

void RecipePanel::askRename()
{
    const QString from = selectedPreset();
    if (from.isEmpty())
        return;
    bool ok = false;
    const QString to = QInputDialog::getText(this, tr("Rename preset"), tr("New name:"),
                                             QLineEdit::Normal, from, &ok);
    if (ok && !renamePreset(from, to))
        QMessageBox::warning(
            this, tr("Rename preset"),
            tr("A preset named \"%1\" exists already, or the name is empty.").arg(to));
}

void RecipePanel::askDelete()
{
    const QString name = selectedPreset();
    if (name.isEmpty())
        return;
    if (QMessageBox::question(this, tr("Delete preset"),
                              tr("Delete the preset \"%1\"?").arg(name)) == QMessageBox::Yes)
        deletePreset(name);
}

void RecipePanel::browseOutputFolder()
{
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Output folder"), m_outputFolder->text());
    if (!dir.isEmpty())
        m_outputFolder->setText(dir);
}

} // namespace sluice::app
