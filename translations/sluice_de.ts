<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.ui" line="+6"/>
        <source>Sluice</source>
        <translation>Sluice</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Batches</source>
        <translation>Stapel</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The selected batch</source>
        <translation>Der ausgewählte Stapel</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Items of the selected batch</source>
        <translation>Bilder des ausgewählten Stapels</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Recipe for the next drop</source>
        <translation>Rezept für die nächsten Bilder</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Batch</source>
        <translation>&amp;Stapel</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&amp;All Batches</source>
        <translation>&amp;Alle Stapel</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Batch actions</source>
        <translation>Stapelaktionen</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Pool</source>
        <translation>Verarbeitung</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Add Images or Archives…</source>
        <translation>&amp;Dateien hinzufügen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Queue image files or ZIP archives as a new batch</source>
        <translation>Bilddateien oder ZIP-Archive als neuen Stapel einreihen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+O</source>
        <translation>Ctrl+O</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add &amp;Folder…</source>
        <translation>&amp;Ordner hinzufügen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Queue a folder of images as a new batch</source>
        <translation>Einen Bilderordner als neuen Stapel einreihen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quit Sluice</source>
        <translation>Sluice beenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Pause</source>
        <translation>&amp;Pausieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause the selected batch</source>
        <translation>Den ausgewählten Stapel pausieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+P</source>
        <translation>Ctrl+P</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume the selected batch</source>
        <translation>Den ausgewählten Stapel fortsetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Cancel Batch</source>
        <translation>Stapel a&amp;bbrechen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel the selected batch</source>
        <translation>Den ausgewählten Stapel abbrechen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+K</source>
        <translation>Ctrl+K</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Priority &amp;Up</source>
        <translation>Priorität &amp;erhöhen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Raise the selected batch&apos;s priority</source>
        <translation>Die Priorität des ausgewählten Stapels erhöhen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Up</source>
        <translation>Ctrl+Up</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Priority &amp;Down</source>
        <translation>Priorität &amp;senken</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lower the selected batch&apos;s priority</source>
        <translation>Die Priorität des ausgewählten Stapels senken</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Down</source>
        <translation>Ctrl+Down</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Retry &amp;Failed</source>
        <translation>Erneut &amp;versuchen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Queue the failed images of the selected batch again</source>
        <translation>Die fehlgeschlagenen Bilder des ausgewählten Stapels erneut einreihen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+T</source>
        <translation>Ctrl+T</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Open Output Folder</source>
        <translation>Ausgabe&amp;ordner öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the selected batch&apos;s output</source>
        <translation>Die Ausgabe des ausgewählten Stapels anzeigen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Re&amp;move Finished Batch</source>
        <translation>Stapel entfe&amp;rnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the selected batch from the list</source>
        <translation>Den ausgewählten Stapel aus der Liste entfernen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Del</source>
        <translation>Del</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pause &amp;All</source>
        <translation>Alle &amp;pausieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause every batch</source>
        <translation>Alle Stapel pausieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Shift+P</source>
        <translation>Ctrl+Shift+P</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Resume A&amp;ll</source>
        <translation>Alle f&amp;ortsetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume every batch</source>
        <translation>Alle Stapel fortsetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Shift+R</source>
        <translation>Ctrl+Shift+R</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel All</source>
        <translation>Alle a&amp;bbrechen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel every batch</source>
        <translation>Alle Stapel abbrechen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Shift+K</source>
        <translation>Ctrl+Shift+K</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../src/app/main.cpp" line="+34"/>
        <source>Batch image resizer and converter.</source>
        <translation>Bilder stapelweise skalieren und konvertieren.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>User interface language: de, fr or en (default: the system&apos;s language).</source>
        <translation>Sprache der Benutzeroberfläche: de, fr oder en (Vorgabe: die Sprache des Systems).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Folders, images or ZIP archives to queue.</source>
        <translation>Einzureihende Ordner, Bilder oder ZIP-Archive.</translation>
    </message>
</context>
<context>
    <name>sluice</name>
    <message>
        <location filename="../src/pool/pooltypes.cpp" line="+11"/>
        <source>Queued</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pausing</source>
        <translation>Wird pausiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Canceling</source>
        <translation>Wird abgebrochen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Finished</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Canceled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>skipped</source>
        <translation>übersprungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>canceled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>High</source>
        <translation>Hoch</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Low</source>
        <translation>Niedrig</translation>
    </message>
</context>
<context>
    <name>sluice::BatchRunner</name>
    <message>
        <location filename="../src/imaging/batchrunner.cpp" line="+50"/>
        <source>not an image</source>
        <translation>kein Bild</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>up to date</source>
        <translation>aktuell</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>output exists</source>
        <translation>Ausgabe existiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>done in an earlier run</source>
        <translation>in einem früheren Lauf erledigt</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>the pool takes no new batches</source>
        <translation>der Pool nimmt keine neuen Stapel an</translation>
    </message>
    <message>
        <location line="+185"/>
        <source>the archive could not be written</source>
        <translation>das Archiv konnte nicht geschrieben werden</translation>
    </message>
    <message>
        <location line="-259"/>
        <source>hidden</source>
        <translation>versteckt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sluice output</source>
        <translation>Sluice-Ausgabe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>link loop: the linked folder holds the link</source>
        <translation>Link-Schleife: der verlinkte Ordner enthält den Link</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>folder already scanned (reached twice through a link)</source>
        <translation>Ordner bereits durchsucht (über einen Link zweimal erreicht)</translation>
    </message>
</context>
<context>
    <name>sluice::DropArea</name>
    <message>
        <location filename="../src/app/droparea.cpp" line="+18"/>
        <source>Drop image folders, images or ZIP archives here</source>
        <translation>Bilderordner, Bilder oder ZIP-Archive hier ablegen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Drop area</source>
        <translation>Ablagebereich</translation>
    </message>
</context>
<context>
    <name>sluice::app::BatchManager</name>
    <message>
        <location filename="../src/app/batchmanager.cpp" line="+103"/>
        <source>%1 (retry)</source>
        <translation>%1 (Wiederholung)</translation>
    </message>
</context>
<context>
    <name>sluice::app::BatchModel</name>
    <message>
        <location filename="../src/app/batchmodel.cpp" line="+207"/>
        <source>Paused: %1 (free space, then Resume)</source>
        <translation>Angehalten: %1 (Platz schaffen, dann Fortsetzen)</translation>
    </message>
    <message>
        <location line="-81"/>
        <source>%1 of %2+</source>
        <translation>%1 von %2+</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>Paused: disk full</source>
        <translation>Angehalten: Datenträger voll</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 h %2 min</source>
        <translation>%1 Std. %2 min</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Batch</source>
        <translation>Stapel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Skipped</source>
        <translation>Übersprungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Images/s</source>
        <translation>Bilder/s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ETA</source>
        <translation>Restzeit</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Queued</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pausing</source>
        <translation>Wird pausiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Canceling</source>
        <translation>Wird abgebrochen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Finished</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Canceled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Paused (all)</source>
        <translation>Pausiert (alle)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>All batches are paused. Resume All (Ctrl+Shift+R) continues them.</source>
        <translation>Alle Stapel sind pausiert. „Alle fortsetzen“ (Strg+Umschalt+R) setzt sie fort.</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>High</source>
        <translation>Hoch</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Low</source>
        <translation>Niedrig</translation>
    </message>
</context>
<context>
    <name>sluice::app::BatchPlan</name>
    <message numerus="yes">
        <location filename="../src/app/batchplan.cpp" line="+27"/>
        <source>%1 + %n more</source>
        <translation>
            <numerusform>%1 + %n weiteres</numerusform>
            <numerusform>%1 + %n weitere</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sluice::app::CloseDialog</name>
    <message>
        <location filename="../src/app/closedialog.cpp" line="+15"/>
        <location line="+1"/>
        <source>Quit Sluice</source>
        <translation>Sluice beenden</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n batch(es) still running.</source>
        <translation>
            <numerusform>%n Stapel läuft noch.</numerusform>
            <numerusform>%n Stapel laufen noch.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images being processed get up to %1 s to finish; after that they are canceled and leave no partial files. Images still queued are not lost: the next start of Sluice offers to resume their batches.</source>
        <translation>Bilder in Bearbeitung haben bis zu %1 s, um fertig zu werden; danach werden sie abgebrochen und hinterlassen keine halben Dateien. Noch wartende Bilder gehen nicht verloren: Beim nächsten Start bietet Sluice an, ihre Stapel fortzusetzen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Time left</source>
        <translation>Verbleibende Zeit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Wait and quit</source>
        <translation>&amp;Warten und beenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Keep the window open</source>
        <translation>Fenster &amp;offen lassen</translation>
    </message>
    <message numerus="yes">
        <location line="+32"/>
        <source>Stopping: running images are canceled in %n s.</source>
        <translation>
            <numerusform>Wird beendet: Laufende Bilder werden in %n s abgebrochen.</numerusform>
            <numerusform>Wird beendet: Laufende Bilder werden in %n s abgebrochen.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sluice::app::ItemsModel</name>
    <message>
        <location filename="../src/app/itemsmodel.cpp" line="+85"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Image</source>
        <translation>Bild</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Output or reason</source>
        <translation>Ausgabe oder Grund</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Skipped</source>
        <translation>Übersprungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Canceled</source>
        <translation>Abgebrochen</translation>
    </message>
</context>
<context>
    <name>sluice::app::MainWindow</name>
    <message>
        <location filename="../src/app/mainwindow.cpp" line="+91"/>
        <source>, stopped unexpectedly</source>
        <translation>, unerwartet beendet</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Resume unfinished batches?</source>
        <translation>Unfertige Stapel fortsetzen?</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>1 image done</source>
        <translation>1 Bild fertig</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 images done</source>
        <translation>%1 Bilder fertig</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 → %2: %3%4, last run %5</source>
        <translation>%1 → %2: %3%4, zuletzt %5</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A batch did not finish last time.</source>
        <translation>Ein Stapel wurde beim letzten Mal nicht fertig.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 batches did not finish last time.</source>
        <translation>%1 Stapel wurden beim letzten Mal nicht fertig.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume? What is already done is kept and not redone.</source>
        <translation>Fortsetzen? Was schon fertig ist, bleibt erhalten und wird nicht neu gemacht.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Discard</source>
        <translation>&amp;Verwerfen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Later</source>
        <translation>&amp;Später</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Cannot resume</source>
        <translation>Fortsetzen nicht möglich</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>%1: the archive could not be written: %2</source>
        <translation>%1: Das Archiv konnte nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Auto</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workers</source>
        <translation>Worker</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> images/s</source>
        <translation> Bilder/s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unlimited</source>
        <translation>Unbegrenzt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rate limit</source>
        <translation>Ratenbegrenzung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Workers:</source>
        <translation>&amp;Worker:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> &amp;Rate limit:</source>
        <translation> Ratenbegren&amp;zung:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Overall progress</source>
        <translation>Gesamtfortschritt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%v of %m</source>
        <translation>%v von %m</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Throughput</source>
        <translation>Durchsatz</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Cannot queue the batch</source>
        <translation>Stapel kann nicht eingereiht werden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The batch could not be created.</source>
        <translation>Der Stapel konnte nicht angelegt werden.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Add images or archives</source>
        <translation>Bilder oder Archive hinzufügen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images and ZIP archives (*.jpg *.jpeg *.png *.webp *.heic *.heif *.avif *.jxl *.bmp *.tif *.tiff *.gif *.zip);;All files (*)</source>
        <translation>Bilder und ZIP-Archive (*.jpg *.jpeg *.png *.webp *.heic *.heif *.avif *.jxl *.bmp *.tif *.tiff *.gif *.zip);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Add a folder</source>
        <translation>Ordner hinzufügen</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Cannot retry</source>
        <translation>Wiederholen nicht möglich</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Open Output Folder</source>
        <translation>Ausgabeordner öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No file manager could open the output folder:
%1</source>
        <translation>Kein Dateimanager konnte den Ausgabeordner öffnen:
%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Copy Path</source>
        <translation>Pfad &amp;kopieren</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Select a batch to see where its outputs go.</source>
        <translation>Einen Stapel auswählen, um zu sehen, wohin seine Ausgaben gehen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Output: %1</source>
        <translation>Ausgabe: %1</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>%1 images/s · %2 running · %3 queued · %4 workers</source>
        <translation>%1 Bilder/s · %2 laufend · %3 wartend · %4 Worker</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Stopping…</source>
        <translation>Wird beendet…</translation>
    </message>
</context>
<context>
    <name>sluice::app::PresetStore</name>
    <message>
        <location filename="../src/app/presetstore.cpp" line="+23"/>
        <source>Thumbnails 256</source>
        <translation>Vorschaubilder 256</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Web 1600</source>
        <translation>Web 1600</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Web AVIF 1600</source>
        <translation>Web AVIF 1600</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Archive ZIP</source>
        <translation>ZIP-Archiv</translation>
    </message>
</context>
<context>
    <name>sluice::app::RecipePanel</name>
    <message>
        <location filename="../src/app/recipepanel.cpp" line="+41"/>
        <source>Recipe</source>
        <translation>Rezept</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+204"/>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <location line="-202"/>
        <source>Width</source>
        <translation>Breite</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Height</source>
        <translation>Höhe</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>&amp;Keep the folder tree</source>
        <translation>Ordnerstr&amp;uktur beibehalten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>sRGB: colours converted from the input&apos;s profile to what every viewer assumes. Keep: the input&apos;s profile, pixels unchanged. Strip: pixels unchanged, profile removed.</source>
        <translation>sRGB: Farben aus dem Profil der Eingabe in das umgerechnet, wovon jeder Betrachter ausgeht. Behalten: das Profil der Eingabe, Pixel unverändert. Entfernen: Pixel unverändert, Profil entfernt.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>What of the input&apos;s EXIF, XMP, IPTC and comments goes into the outputs. Public leaves out the location, serial numbers, owner names, maker notes and edit history.</source>
        <translation>Welche EXIF-, XMP- und IPTC-Daten und Kommentare der Eingabe in die Ausgaben gelangen. „Öffentlich“ lässt Ort, Seriennummern, Besitzernamen, Herstellerdaten und Bearbeitungsverlauf weg.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Preset:</source>
        <translation>&amp;Vorlage:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Size:</source>
        <translation>&amp;Größe:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Quality:</source>
        <translation>&amp;Qualität:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Names:</source>
        <translation>&amp;Namen:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Co&amp;lours:</source>
        <translation>&amp;Farben:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Me&amp;tadata:</source>
        <translation>Me&amp;tadaten:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Preset</source>
        <translation>Vorlage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(not saved)</source>
        <translation>(nicht gespeichert)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Rena&amp;me…</source>
        <translation>Umbenenn&amp;en…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Output kind</source>
        <translation>Ausgabeart</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ZIP archive</source>
        <translation>ZIP-Archiv</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Output location</source>
        <translation>Ausgabeort</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Beside the input</source>
        <translation>Neben der Eingabe</translation>
    </message>
    <message>
        <location line="-90"/>
        <source>Enlar&amp;ge smaller images</source>
        <translation>Kleinere Bilder &amp;hochskalieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sharpen slightl&amp;y after reducing</source>
        <translation>Nach dem Verkleinern leicht sch&amp;ärfen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A light unsharp mask after the image is made smaller: crisper small images. Enlarged images are left alone.</source>
        <translation>Eine leichte Unscharfmaskierung, nachdem das Bild verkleinert wurde: schärfere kleine Bilder. Vergrößerte Bilder bleiben, wie sie sind.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{name} input name, {ext} extension, {w} {h} output size, {n} number from 1, {n:4} zero-padded, {index} number from 0, {date} capture date, {date:yyyyMMdd_HHmmss} with a format, {camera} camera model</source>
        <translation>{name} Name der Eingabe, {ext} Endung, {w} {h} Ausgabegröße, {n} Nummer ab 1, {n:4} mit Nullen aufgefüllt, {index} Nummer ab 0, {date} Aufnahmedatum, {date:yyyyMMdd_HHmmss} mit Format, {camera} Kameramodell</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>In&amp;clude hidden files (dot-files)</source>
        <translation>Verstec&amp;kte Dateien einbeziehen (Punktdateien)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Resi&amp;ze:</source>
        <translation>Skalie&amp;ren:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>F&amp;ormat:</source>
        <translation>F&amp;ormat:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>O&amp;utput:</source>
        <translation>Ausga&amp;be:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>If t&amp;he name is taken:</source>
        <translation>Wenn der Na&amp;me vergeben ist:</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Sa&amp;ve as…</source>
        <translation>S&amp;peichern unter…</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Brows&amp;e…</source>
        <translation>Durchsu&amp;chen…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Fit inside the box</source>
        <translation>In den Rahmen einpassen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fill the box and crop</source>
        <translation>Rahmen füllen und zuschneiden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exactly the box (stretch)</source>
        <translation>Genau der Rahmen (verzerrt)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Long edge = width</source>
        <translation>Lange Kante = Breite</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Short edge = width</source>
        <translation>Kurze Kante = Breite</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Percent (width)</source>
        <translation>Prozent (Breite)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep the input&apos;s format</source>
        <translation>Format der Eingabe beibehalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JPEG</source>
        <translation>JPEG</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PNG</source>
        <translation>PNG</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>WebP</source>
        <translation>WebP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AVIF</source>
        <translation>AVIF</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JPEG XL</source>
        <translation>JPEG XL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rename the new file</source>
        <translation>Neue Datei umbenennen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overwrite</source>
        <translation>Überschreiben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skip</source>
        <translation>Überspringen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sRGB (converted)</source>
        <translation>sRGB (umgerechnet)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep the input&apos;s profile</source>
        <translation>Profil der Eingabe behalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Strip the profile</source>
        <translation>Profil entfernen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep all</source>
        <translation>Alle behalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Public only (no location, no serials)</source>
        <translation>Nur öffentliche (ohne Ort, ohne Seriennummern)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <location line="+74"/>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not a token Sluice knows: %1. Use {name}, {ext}, {w}, {h}, {n}, {n:4}, {index}, {date}, {date:yyyy-MM-dd} or {camera}.</source>
        <translation>Kein Platzhalter, den Sluice kennt: %1. Verwenden Sie {name}, {ext}, {w}, {h}, {n}, {n:4}, {index}, {date}, {date:yyyy-MM-dd} oder {camera}.</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Save preset</source>
        <translation>Vorlage speichern</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Preset name:</source>
        <translation>Name der Vorlage:</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+4"/>
        <source>Rename preset</source>
        <translation>Vorlage umbenennen</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>New name:</source>
        <translation>Neuer Name:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A preset named &quot;%1&quot; exists already, or the name is empty.</source>
        <translation>Eine Vorlage namens „%1“ existiert bereits, oder der Name ist leer.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Delete preset</source>
        <translation>Vorlage löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the preset &quot;%1&quot;?</source>
        <translation>Die Vorlage „%1“ löschen?</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Output folder</source>
        <translation>Ausgabeordner</translation>
    </message>
    <message>
        <location line="-273"/>
        <source>Keep the &amp;input dates</source>
        <translation>Änderungsdatum der E&amp;ingaben behalten</translation>
    </message>
</context>
<context>
    <name>sluice::app::ThroughputGraph</name>
    <message>
        <location filename="../src/app/throughputgraph.cpp" line="+42"/>
        <location line="+172"/>
        <source>Throughput graph</source>
        <translation>Durchsatzdiagramm</translation>
    </message>
    <message>
        <location line="-171"/>
        <location line="+172"/>
        <source>Images per second over the last minute</source>
        <translation>Bilder pro Sekunde in der letzten Minute</translation>
    </message>
    <message>
        <location line="-96"/>
        <source>%1 /s</source>
        <extracomment>Top of the throughput graph&apos;s axis, in images per second; keep it short</extracomment>
        <translation>%1 /s</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>%1 images/s</source>
        <translation>%1 Bilder/s</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>No images processed in the last minute</source>
        <translation>In der letzten Minute keine Bilder verarbeitet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Now %1 images/s, at most %2 images/s in the last minute</source>
        <translation>Jetzt %1 Bilder/s, höchstens %2 Bilder/s in der letzten Minute</translation>
    </message>
</context>
</TS>
