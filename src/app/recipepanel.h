// Edits the recipe the next drop will use: size and mode, format and quality, folder or ZIP
// output and where it goes, naming template, conflict policy, mirrored tree; and the named
// presets of a PresetStore (apply, save as, rename, delete).
#pragma once

#include "presetstore.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace sluice::app {

class RecipePanel : public QWidget
{
    Q_OBJECT
public:
    explicit RecipePanel(PresetStore &presets, QWidget *parent = nullptr);

    RecipeSettings settings() const;
    void setSettings(const RecipeSettings &settings);

    // The preset operations behind the buttons, without the dialogs. False when refused.
    bool applyPreset(const QString &name);
    bool saveAsPreset(const QString &name);
    bool renamePreset(const QString &from, const QString &to);
    bool deletePreset(const QString &name);
    QString selectedPreset() const;

signals:
    void settingsChanged(); // any field was edited

private:
    void buildForm();
    QWidget *buildPresetRow();
    QWidget *buildOutputRow();
    void fillCombos();
    void connectEdits();
    void reloadPresetNames(const QString &select);
    void askSaveAs();
    void askRename();
    void askDelete();
    void browseOutputFolder();
    void updateEnabled();

    PresetStore &m_presets;
    bool m_loading = false; // setSettings() in progress: no settingsChanged
    QComboBox *m_preset = nullptr;
    QPushButton *m_saveAs = nullptr;
    QPushButton *m_rename = nullptr;
    QPushButton *m_delete = nullptr;
    QSpinBox *m_width = nullptr;
    QSpinBox *m_height = nullptr;
    QComboBox *m_mode = nullptr;
    QCheckBox *m_upscale = nullptr;
    QComboBox *m_format = nullptr;
    QSpinBox *m_quality = nullptr;
    QComboBox *m_outputKind = nullptr;
    QLineEdit *m_outputFolder = nullptr;
    QPushButton *m_browse = nullptr;
    QLineEdit *m_nameTemplate = nullptr;
    QComboBox *m_conflict = nullptr;
    QCheckBox *m_mirrorTree = nullptr;
    QCheckBox *m_keepDates = nullptr;
    QCheckBox *m_sharpen = nullptr;
    QComboBox *m_metadata = nullptr;
    QComboBox *m_colour = nullptr;
    QLabel *m_nameError = nullptr; // shown while the name template has an unknown token
    QCheckBox *m_hidden = nullptr;
};

} // namespace sluice::app
