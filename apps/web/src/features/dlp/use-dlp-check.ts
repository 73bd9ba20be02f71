import {
  type ConversationListResponse,
  type DlpEventRequest,
  type DlpPolicyResponse,
  type DlpRules,
  dlpRuleNames,
  type RecipientDirectoryResponse,
} from '@zegel/protocol/api';
import {
  checkRecipients,
  defaultPolicy,
  domainOf,
  evaluatePolicy,
  type Finding,
  type Recipient,
  type Verdict,
} from '@zegel/protocol/dlp';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../api/index.ts';
import type { DlpRecipient } from './dlp-recipient.ts';
import type { ScanRequest, ScanRequestBody, ScanResponse, ShownFinding } from './dlp-worker.ts';
import { htmlToText } from './mask.ts';

/** Where a finding is: the subject, the body, or an attachment by its name. */
export type Place = { part: 'subject' } | { part: 'body' } | { part: 'attachment'; name: string };
export interface PlacedFinding extends ShownFinding {
  place: Place;
}
export type FileScan =
  | { state: 'scanning' }
  | { state: 'ok'; findings: ShownFinding[] }
  | { state: 'unreadable'; reason: string };

export interface DlpCheck {
  verdict: Verdict;
  findings: PlacedFinding[];
  /** Attachments that could not be scanned, by name: never shown as "nothing found". */
  unscanned: { name: string; reason: string }[];
  isScanning: boolean;
  /** The scanner itself failed (the worker did not load): the text was not checked. */
  isTextUnscanned: boolean;
}

const TEXT_DEBOUNCE_MS = 400;

/** Until (or if never) the organisation's policy loads, the documented defaults apply: fail closed. */
const fallbackPolicy: DlpPolicyResponse = {
  rules: Object.fromEntries(dlpRuleNames.map((r) => [r, defaultPolicy.rules[r] ?? 'off'])) as DlpRules,
  exemptDomains: [],
  internalDomains: [],
  updatedAt: null,
};

/** One worker per composer; requests are answered in order by id. */
function useScanWorker() {
  const worker = useRef<Worker | null>(null);
  const pending = useRef(new Map<number, (response: ScanResponse) => void>());
  const nextId = useRef(1);
  useEffect(() => {
    const w = new Worker(new URL('./dlp-worker.ts', import.meta.url), { type: 'module' });
    const waiting = pending.current;
    w.addEventListener('message', (event: MessageEvent<ScanResponse>) => {
      waiting.get(event.data.id)?.(event.data);
      waiting.delete(event.data.id);
    });
    w.addEventListener('error', () => {
      for (const [id, resolve] of waiting) resolve({ id, kind: 'error' });
      waiting.clear();
    });
    worker.current = w;
    return () => {
      w.terminate();
      for (const [id, resolve] of waiting) resolve({ id, kind: 'error' });
      waiting.clear();
      worker.current = null;
    };
  }, []);
  return useCallback((request: ScanRequestBody, transfer: Transferable[] = []) => {
    const id = nextId.current++;
    return new Promise<ScanResponse>((resolve) => {
      const w = worker.current;
      if (!w) {
        resolve({ id, kind: 'error' });
        return;
      }
      pending.current.set(id, resolve);
      w.postMessage({ ...request, id } as ScanRequest, transfer);
    });
  }, []);
}

function recipientsOf(recipients: readonly DlpRecipient[]): Recipient[] {
  return recipients.flatMap((r): Recipient[] =>
    r.kind === 'guest'
      ? [{ address: r.address.toLowerCase(), field: r.role, isVerified: r.method !== 'email_only' }]
      : r.kind === 'user'
        ? [{ address: r.email.toLowerCase(), field: r.role }]
        : [],
  );
}

/**
 * Checks the draft as the sender writes it: subject and body (debounced) and each attachment
 * (once, when attached) in a worker, the recipients against the organisation's domains and
 * the addresses it knows, and the organisation's policy over all of it.
 */
export function useDlpCheck(input: {
  /** The organisation's policy; the defaults while it loads or when it cannot be loaded. */
  policy: DlpPolicyResponse | undefined;
  subject: string;
  bodyHtml: string;
  files: readonly File[];
  recipients: readonly DlpRecipient[];
}) {
  const scan = useScanWorker();
  const { subject, bodyHtml, files, recipients } = input;
  const policy = input.policy ?? fallbackPolicy;
  const [textFindings, setTextFindings] = useState<PlacedFinding[]>([]);
  const [textPending, setTextPending] = useState(false);
  const [isTextUnscanned, setIsTextUnscanned] = useState(false);
  const [fileScans, setFileScansState] = useState(() => new Map<File, FileScan>());
  const fileScansRef = useRef(fileScans);
  const setFileScan = useCallback((file: File, scan: FileScan) => {
    fileScansRef.current = new Map(fileScansRef.current).set(file, scan);
    setFileScansState(fileScansRef.current);
  }, []);
  const filePromises = useRef(new Map<File, Promise<void>>());
  // null while the directory has not answered yet.
  const [known, setKnown] = useState(() => new Map<string, boolean | null>());
  const latestText = useRef({ subject, bodyHtml });
  latestText.current = { subject, bodyHtml };

  /** Scans the current subject and body; a result for an outdated draft is dropped unless final. */
  const scanDraftText = useCallback(
    async (isFinal = false) => {
      const { subject: s, bodyHtml: b } = latestText.current;
      const response = await scan({
        kind: 'text',
        parts: [
          { part: 'subject', text: s },
          { part: 'body', text: htmlToText(b) },
        ],
      });
      const isStale = latestText.current.subject !== s || latestText.current.bodyHtml !== b;
      const found =
        response.kind === 'text'
          ? response.parts.flatMap((p) => p.findings.map((f) => ({ ...f, place: { part: p.part } as Place })))
          : [];
      const failed = response.kind !== 'text';
      if (isStale && !isFinal) return undefined;
      if (!isStale) {
        setTextFindings(found);
        setIsTextUnscanned(failed);
        setTextPending(false);
      }
      return { found, failed };
    },
    [scan],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: the draft changing is what schedules a scan; the scan reads it from a ref.
  useEffect(() => {
    setTextPending(true);
    const timer = setTimeout(() => void scanDraftText(), TEXT_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [subject, bodyHtml, scanDraftText]);

  useEffect(() => {
    for (const file of files) {
      if (filePromises.current.has(file)) continue;
      setFileScan(file, { state: 'scanning' });
      const done = file
        .arrayBuffer()
        .then((bytes) => scan({ kind: 'file', name: file.name, bytes }, [bytes]))
        .then(
          (response): FileScan =>
            response.kind === 'file' && response.status === 'ok'
              ? { state: 'ok', findings: response.findings }
              : {
                  state: 'unreadable',
                  reason:
                    response.kind === 'file' && response.status === 'unreadable'
                      ? response.reason
                      : 'corrupt',
                },
          (): FileScan => ({ state: 'unreadable', reason: 'corrupt' }),
        )
        .then((result) => setFileScan(file, result));
      filePromises.current.set(file, done);
    }
  }, [files, scan, setFileScan]);

  // Addresses this sender wrote to recently: known recipients, and the domains look-alikes are
  // compared with.
  const [sentTo, setSentTo] = useState<ReadonlySet<string>>(() => new Set());
  useEffect(() => {
    let isCurrent = true;
    api.get<ConversationListResponse>('/api/conversations?box=sent').then(
      (response) => {
        if (!isCurrent) return;
        const addresses = response.conversations.flatMap((c) =>
          c.participants.flatMap((p) => (p.kind === 'guest' && p.address ? [p.address.toLowerCase()] : [])),
        );
        setSentTo(new Set(addresses));
      },
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, []);

  // First-time recipients: the organisation's recipient directory knows who was written to before.
  useEffect(() => {
    for (const r of recipients) {
      if (r.kind !== 'guest') continue;
      const address = r.address.toLowerCase();
      if (known.has(address)) continue;
      setKnown((current) => new Map(current).set(address, null));
      api
        .get<RecipientDirectoryResponse>(`/api/recipient-directory?address=${encodeURIComponent(address)}`)
        .then(
          (response) => setKnown((current) => new Map(current).set(address, response.entry !== null)),
          () => undefined,
        );
    }
  }, [recipients, known]);

  const evaluate = useCallback(
    (text: PlacedFinding[], scans: Map<File, FileScan>, textFailed: boolean): DlpCheck | undefined => {
      const findings: PlacedFinding[] = [...text];
      const unscanned: DlpCheck['unscanned'] = [];
      let isScanning = false;
      for (const file of files) {
        const result = scans.get(file);
        if (!result || result.state === 'scanning') isScanning = true;
        else if (result.state === 'unreadable') unscanned.push({ name: file.name, reason: result.reason });
        else
          findings.push(
            ...result.findings.map((f) => ({
              ...f,
              place: { part: 'attachment' as const, name: file.name },
            })),
          );
      }
      const list = recipientsOf(recipients);
      const internalDomains = [
        ...policy.internalDomains,
        ...recipients.flatMap((r) => (r.kind === 'user' ? [domainOf(r.email)] : [])),
      ];
      const knownAddresses = new Set([
        ...sentTo,
        ...[...known].filter(([, isKnown]) => isKnown).map(([address]) => address),
      ]);
      // Sensitive: a finding the organisation wants shown (suggest or stronger), so an audit-only
      // phone number does not make every new recipient a warning.
      const hasSensitiveContent = findings.some((f) =>
        ['suggest', 'warn', 'block'].includes(policy.rules[f.type] ?? 'off'),
      );
      const recipientIssues = checkRecipients(
        list,
        {
          internalDomains,
          usualDomains: [...new Set([...knownAddresses].map(domainOf))],
          knownAddresses,
        },
        hasSensitiveContent,
      )
        // A first-time recipient only once the directory has said so.
        .map((issue) =>
          issue.rule === 'first_time_recipient'
            ? { ...issue, addresses: issue.addresses.filter((a) => known.get(a) === false && !sentTo.has(a)) }
            : issue,
        )
        .filter((issue) => issue.addresses.length > 0);
      const verdict = evaluatePolicy({
        findings: findings as Finding[],
        recipients: list,
        recipientIssues,
        policy: { rules: policy.rules, exemptDomains: policy.exemptDomains },
        internalDomains,
        // Every message from the composer is end-to-end encrypted: content is weighed against
        // who receives it, and only plain sending (the gateway) is blocked (docs/dlp.md).
        channel: 'secure',
      });
      return { verdict, findings, unscanned, isScanning, isTextUnscanned: textFailed };
    },
    [policy, files, recipients, known, sentTo],
  );

  const current = useMemo(
    () => evaluate(textFindings, fileScans, isTextUnscanned),
    [evaluate, textFindings, fileScans, isTextUnscanned],
  );

  /** Scans what is on screen now and waits for every attachment: the verdict to send by. */
  const finalCheck = useCallback(async (): Promise<DlpCheck | undefined> => {
    const text = (await scanDraftText(true)) ?? { found: [], failed: true };
    await Promise.all(files.map((f) => filePromises.current.get(f)));
    return evaluate(text.found, fileScansRef.current, text.failed);
  }, [scanDraftText, files, evaluate]);

  return { check: current, isTextPending: textPending, finalCheck };
}

/** The audit report for a verdict: rule names, actions, counts and recipient domains only. */
export function toDlpEvent(
  check: DlpCheck,
  recipients: readonly DlpRecipient[],
  outcome: DlpEventRequest['outcome'],
  conversationId?: string,
): DlpEventRequest | null {
  const rules = check.verdict.items
    .filter((i) => (outcome === 'audited' ? i.action === 'audit' : true))
    .map((i) => ({
      rule: i.rule,
      action: i.action,
      count: Math.max(1, i.findings.length > 0 ? i.findings.length : i.addresses.length),
    }));
  if (rules.length === 0) return null;
  const domains = [
    ...new Set(
      recipientsOf(recipients)
        .map((r) => domainOf(r.address))
        .filter((d) => /^[a-z0-9.-]+$/.test(d)),
    ),
  ];
  return {
    outcome,
    rules,
    recipientDomains: domains.filter((d) => !/[0-9]{5}/.test(d)).slice(0, 200),
    ...(conversationId === undefined ? {} : { conversationId }),
    ...(check.unscanned.length > 0 ? { unscannedAttachments: check.unscanned.length } : {}),
  };
}
