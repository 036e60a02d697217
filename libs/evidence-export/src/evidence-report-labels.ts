/** Labels of the PDF evidence report, in the signatory languages of the API. */
export interface ReportLabels {
  title: string;
  intro: string;
  transaction: string;
  status: string;
  name: string;
  created: string;
  document: string;
  sha256: string;
  originalSha256: string;
  signatories: string;
  events: string;
  time: string;
  event: string;
  actor: string;
  ip: string;
  finalHash: string;
  eventCount: string;
  generatedAt: string;
  page: string;
  none: string;
}

export type ReportLanguage = 'FR' | 'EN' | 'DE' | 'ES' | 'IT';

export const REPORT_LABELS: Record<ReportLanguage, ReportLabels> = {
  EN: {
    title: 'Evidence report',
    intro: 'Every event of the transaction in order, each chained to the one before by its SHA-256 hash. This document is sealed by the platform.',
    transaction: 'Transaction',
    status: 'Status',
    name: 'Name',
    created: 'Created',
    document: 'Document',
    sha256: 'SHA-256',
    originalSha256: 'SHA-256 as uploaded',
    signatories: 'Signatories',
    events: 'Events',
    time: 'Time (UTC)',
    event: 'Event',
    actor: 'Actor',
    ip: 'IP address',
    finalHash: 'Final hash of the chain',
    eventCount: 'Number of events',
    generatedAt: 'Generated at',
    page: 'Page',
    none: 'none',
  },
  FR: {
    title: 'Rapport de preuve',
    intro: 'Tous les événements de la transaction dans l’ordre, chacun chaîné au précédent par son empreinte SHA-256. Ce document est scellé par la plateforme.',
    transaction: 'Transaction',
    status: 'Statut',
    name: 'Nom',
    created: 'Création',
    document: 'Document',
    sha256: 'SHA-256',
    originalSha256: 'SHA-256 à l’import',
    signatories: 'Signataires',
    events: 'Événements',
    time: 'Heure (UTC)',
    event: 'Événement',
    actor: 'Acteur',
    ip: 'Adresse IP',
    finalHash: 'Empreinte finale de la chaîne',
    eventCount: 'Nombre d’événements',
    generatedAt: 'Généré le',
    page: 'Page',
    none: 'aucun',
  },
  DE: {
    title: 'Beweisbericht',
    intro: 'Alle Ereignisse der Transaktion in Reihenfolge, jedes über seinen SHA-256-Hash mit dem vorherigen verkettet. Dieses Dokument ist von der Plattform versiegelt.',
    transaction: 'Transaktion',
    status: 'Status',
    name: 'Name',
    created: 'Erstellt',
    document: 'Dokument',
    sha256: 'SHA-256',
    originalSha256: 'SHA-256 beim Hochladen',
    signatories: 'Unterzeichner',
    events: 'Ereignisse',
    time: 'Zeit (UTC)',
    event: 'Ereignis',
    actor: 'Akteur',
    ip: 'IP-Adresse',
    finalHash: 'Letzter Hash der Kette',
    eventCount: 'Anzahl der Ereignisse',
    generatedAt: 'Erstellt am',
    page: 'Seite',
    none: 'keine',
  },
  ES: {
    title: 'Informe de evidencias',
    intro: 'Todos los eventos de la transacción en orden, cada uno encadenado al anterior por su hash SHA-256. Este documento está sellado por la plataforma.',
    transaction: 'Transacción',
    status: 'Estado',
    name: 'Nombre',
    created: 'Creación',
    document: 'Documento',
    sha256: 'SHA-256',
    originalSha256: 'SHA-256 al subirlo',
    signatories: 'Firmantes',
    events: 'Eventos',
    time: 'Hora (UTC)',
    event: 'Evento',
    actor: 'Actor',
    ip: 'Dirección IP',
    finalHash: 'Hash final de la cadena',
    eventCount: 'Número de eventos',
    generatedAt: 'Generado el',
    page: 'Página',
    none: 'ninguno',
  },
  IT: {
    title: 'Rapporto di prova',
    intro: 'Tutti gli eventi della transazione in ordine, ciascuno concatenato al precedente tramite il suo hash SHA-256. Questo documento è sigillato dalla piattaforma.',
    transaction: 'Transazione',
    status: 'Stato',
    name: 'Nome',
    created: 'Creazione',
    document: 'Documento',
    sha256: 'SHA-256',
    originalSha256: 'SHA-256 al caricamento',
    signatories: 'Firmatari',
    events: 'Eventi',
    time: 'Ora (UTC)',
    event: 'Evento',
    actor: 'Attore',
    ip: 'Indirizzo IP',
    finalHash: 'Hash finale della catena',
    eventCount: 'Numero di eventi',
    generatedAt: 'Generato il',
    page: 'Pagina',
    none: 'nessuno',
  },
};

export function reportLabels(language: string | undefined): ReportLabels {
  return REPORT_LABELS[(language?.toUpperCase() ?? 'EN') as ReportLanguage] ?? REPORT_LABELS.EN;
}
