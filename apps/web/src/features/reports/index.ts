/** Police care reports: the meldpunt directory's admin section (the report form follows, issue 16). */
export { MeldpuntDirectorySection } from './directory-section.tsx';
